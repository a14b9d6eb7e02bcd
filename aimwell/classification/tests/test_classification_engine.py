"""EU AI Act classification engine: realistic cases against the rule files (pure, no DB).

The detailed cases pin the output of the 2024.1 rules, which classifications were decided under
and which never change. 2024.2 asks and decides the same (checked case by case below) and only
names the catalog nodes added after 2024.1: its own tests check those. Tests about rule versions
in general take the latest file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from aimwell.catalog.formats.aimwell_yaml import parse_framework_dir
from aimwell.classification.engine import (
    AnswersError,
    RulesError,
    classify,
    coerce_answers,
    emitted_node_ids,
    load_rules,
    next_question,
    parse_rules,
    rule_files,
    validate_answers,
    visible_questions,
)

DATA = Path(__file__).resolve().parents[2] / "data"
RULES_FOLDER = DATA / "rules" / "eu-ai-act-classification"
RULES_FILE = RULES_FOLDER / "2024.1.yaml"
RULES_2024_2 = RULES_FOLDER / "2024.2.yaml"
LATEST_FILE = rule_files()[-1]
CATALOG_DIR = DATA / "catalog" / "frameworks" / "eu-ai-act-2024"
HIGH_RISK_PROVIDER = [
    *(f"art-{n}" for n in range(8, 22)),
    "art-43",
    "art-47",
    "art-48",
    "art-72",
    "art-73",
]


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_FILE)


def answers(**changes: Any) -> dict[str, Any]:
    """A complete answer set for an in-scope AI system with nothing to report; override per case."""
    base: dict[str, Any] = {
        "is_ai_system": True,
        "eu_nexus": True,
        "exclusions": ["none"],
        "art5_practices": ["none"],
        "annex_i_product": "none",
        "annex_iii_areas": ["none"],
        "art50_features": ["none"],
        "open_source_release": False,
        "gpai_model": False,
    }
    base.update(changes)
    return base


def annex_iii(*areas: str, **changes: Any) -> dict[str, Any]:
    """An Annex III use case, no derogation relied on, deployed by a private company."""
    base: dict[str, Any] = {
        "annex_iii_areas": list(areas),
        "art6_3_derogations": ["none"],
        "deployer_type": "other",
    }
    return answers(**{**base, **changes})


def next_version(version: str) -> str:
    """The version after `version` (2024.2 -> 2024.3), for a hypothetical amendment."""
    head, _, last = version.rpartition(".")
    return f"{head}.{int(last) + 1}"


def catalog_ids() -> set[str]:
    ids: set[str] = set()

    def walk(nodes: list[Any]) -> None:
        for node in nodes:
            ids.add(node.id)
            walk(node.children)

    walk(parse_framework_dir(CATALOG_DIR).nodes)
    return ids


# ---- the rule file ------------------------------------------------------------------------------


def test_rule_file_header(rules):
    assert (rules.key, rules.version) == ("eu-ai-act-classification", "2024.1")
    assert rules.framework == "eu-ai-act:2024"
    assert rules.classes == (
        "out_of_scope",
        "prohibited",
        "high_risk",
        "limited_risk",
        "minimal_risk",
    )
    assert set(rules.roles) == {
        "provider",
        "deployer",
        "importer",
        "distributor",
        "authorised-representative",
    }
    assert rules.constants["gpai_systemic_flops"] == 1e25
    assert any("2024/1689" in source for source in rules.sources)
    assert len(rules.sha256) == 64


def test_rule_files_are_listed_oldest_first(tmp_path):
    assert RULES_FILE in rule_files()
    for name in ("2024.10.yaml", "2024.2.yaml", "2024.1.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in rule_files(tmp_path)] == ["2024.1.yaml", "2024.2.yaml", "2024.10.yaml"]


@pytest.mark.parametrize("path", rule_files(), ids=lambda p: p.stem)
def test_every_node_id_the_rules_emit_is_in_the_catalog(path):
    emitted = emitted_node_ids(load_rules(path))
    missing = emitted - catalog_ids()
    assert not missing, f"node ids not in the eu-ai-act-2024 catalog: {sorted(missing)}"
    assert {"art-5-1-h", "annex-iii-8", "art-6-3-d", "art-50-4", "art-55", "art-27"} <= emitted


def test_stored_content_parses_back_to_the_same_rules(rules):
    stored = json.loads(json.dumps(rules.content))  # what RuleSet.content holds
    again = parse_rules(stored, source="db")
    assert again.sha256 == rules.sha256
    case = annex_iii("area_4")
    assert classify(again, case, "provider") == classify(rules, case, "provider")


# ---- guided questionnaire -----------------------------------------------------------------------


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_questionnaire_starts_with_scope_and_asks_one_step_at_a_time(rules):
    assert ids(visible_questions(rules, {})) == ["is_ai_system", "eu_nexus"]
    assert next_question(rules, {}).id == "is_ai_system"
    shown = ids(visible_questions(rules, {"is_ai_system": True, "eu_nexus": True}))
    assert shown == ["is_ai_system", "eu_nexus", "exclusions"]
    assert next_question(rules, answers()) is None


def test_guided_order_follows_the_act(rules):
    shown = ids(
        visible_questions(rules, annex_iii("area_5", annex_iii_5_uses=["creditworthiness"]))
    )
    assert shown == [
        "is_ai_system",
        "eu_nexus",
        "exclusions",
        "art5_practices",
        "annex_i_product",
        "annex_iii_areas",
        "annex_iii_5_uses",
        "art6_3_derogations",
        "deployer_type",
        "art50_features",
        "gpai_model",
    ]


def test_prohibited_practice_stops_the_system_questions(rules):
    shown = ids(visible_questions(rules, answers(art5_practices=["c"])))
    assert shown == ["is_ai_system", "eu_nexus", "exclusions", "art5_practices"]


def test_annex_i_high_risk_skips_annex_iii(rules):
    case = answers(annex_i_product="medical_devices", annex_i_third_party=True)
    shown = ids(visible_questions(rules, case))
    assert "annex_i_third_party" in shown
    assert "annex_iii_areas" not in shown
    assert "art50_features" in shown


def test_derogation_asks_profiling_then_justification(rules):
    case = annex_iii("area_4", art6_3_derogations=["a"])
    assert next_question(rules, case).id == "performs_profiling"
    shown = ids(visible_questions(rules, {**case, "performs_profiling": False}))
    assert shown[6:9] == ["art6_3_derogations", "performs_profiling", "derogation_justification"]
    assert "deployer_type" not in shown  # not high-risk: no deployer duties to sort out
    assert "open_source_release" in shown
    shown = ids(visible_questions(rules, {**case, "performs_profiling": True}))
    assert "derogation_justification" not in shown
    assert "deployer_type" in shown


def test_answers_to_hidden_questions_do_not_count(rules):
    # The system was once screened as CV screening with a derogation; the use case changed since.
    stale = answers(
        art6_3_derogations=["a"],
        performs_profiling=False,
        derogation_justification="Only converts application forms into structured records.",
        annex_i_product="machinery",
        annex_i_third_party=False,
    )
    outcome = classify(rules, stale, "provider")
    assert outcome.risk_class == "minimal_risk"
    assert "art6_3_derogations" not in outcome.answers
    assert outcome.answers["annex_i_product"] == "machinery"


# ---- out of scope -------------------------------------------------------------------------------


def test_rule_based_software_is_out_of_scope(rules):
    # A tax calculator that applies rates written by accountants: no inference, no AI system.
    case = {"is_ai_system": False, "eu_nexus": True, "exclusions": ["none"], "gpai_model": False}
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "out_of_scope"
    assert outcome.legal_basis == ["art-3"]
    assert outcome.obligations == []
    assert not outcome.gpai


@pytest.mark.parametrize(
    ("exclusion", "cite"),
    [
        ("military", "Art. 2(3)"),  # target recognition used only by the armed forces
        ("scientific_research", "Art. 2(6)"),  # protein-folding model in a university lab
        ("pre_market_rd", "Art. 2(8)"),  # prototype in the lab, not yet released
        ("personal_use", "Art. 2(10)"),  # a hobbyist's photo sorter at home
    ],
)
def test_exclusions_take_the_system_out_of_scope(rules, exclusion, cite):
    case = {"is_ai_system": True, "eu_nexus": True, "exclusions": [exclusion]}
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "out_of_scope"
    assert outcome.citations == [cite]
    assert outcome.obligations == []


def test_no_eu_market_or_use_is_out_of_scope(rules):
    outcome = classify(rules, {"is_ai_system": True, "eu_nexus": False}, "provider")
    assert outcome.risk_class == "out_of_scope"
    assert outcome.citations == ["Art. 2(1)"]


def test_open_source_release_without_other_duties_is_out_of_scope(rules):
    outcome = classify(rules, answers(open_source_release=True), "provider")
    assert outcome.risk_class == "out_of_scope"
    assert outcome.citations == ["Art. 2(12)"]
    # ... but an open-source chatbot keeps its transparency duty: the question is not even asked.
    chatbot = answers(open_source_release=True, art50_features=["interacts_with_people"])
    assert classify(rules, chatbot, "provider").risk_class == "limited_risk"


# ---- Art. 5 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("practice", "case"),
    [
        ("a", "slot-machine app hiding audio cues that push players to keep betting"),
        ("b", "toy assistant nudging young children into dangerous challenges"),
        ("c", "municipal trust score that limits access to social housing"),
        ("d", "burglary prediction for residents from personality traits alone"),
        ("e", "face-search database built by scraping social-media photos"),
        ("f", "webcam mood tracking of call-centre employees"),
        ("g", "inferring sexual orientation from profile photos"),
        ("h", "live facial recognition by police at a railway station"),
    ],
)
def test_each_prohibited_practice(rules, practice, case):
    outcome = classify(rules, answers(art5_practices=[practice]), "deployer")
    assert outcome.risk_class == "prohibited", case
    assert outcome.legal_basis == [f"art-5-1-{practice}"]
    assert outcome.obligations == ["art-4", "art-5"]
    assert outcome.duties == []


def test_several_practices_are_all_cited_and_prohibition_wins(rules):
    # Even if the same system also sits in an Annex III area, the prohibition decides.
    case = answers(art5_practices=["g", "c"], annex_iii_areas=["area_1"])
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "prohibited"
    assert outcome.legal_basis == ["art-5-1-c", "art-5-1-g"]


# ---- Annex I ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "case"),
    [
        ("medical_devices", "triage of chest X-rays inside class IIb imaging software"),
        ("machinery", "vision system stopping an industrial robot when a person comes close"),
    ],
)
def test_annex_i_product_safety_component_is_high_risk(rules, product, case):
    outcome = classify(
        rules, answers(annex_i_product=product, annex_i_third_party=True), "provider"
    )
    assert outcome.risk_class == "high_risk", case
    assert outcome.legal_basis == ["art-6"]
    assert outcome.citations == ["Art. 6(1)", "Annex I"]
    assert outcome.flags == ["annex_i"]
    assert outcome.obligations == ["art-4", *HIGH_RISK_PROVIDER]  # no EU database: sector regime


def test_annex_i_product_without_third_party_assessment_is_not_high_risk(rules):
    # A toy with a self-assessed conformity procedure.
    outcome = classify(
        rules, answers(annex_i_product="toys", annex_i_third_party=False), "provider"
    )
    assert outcome.risk_class == "minimal_risk"


# ---- Annex III ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "extra", "case"),
    [
        ("area_1", {}, "after-the-event face matching of shoppers against a watch list"),
        ("area_2", {}, "safety component controlling pressure in a gas distribution network"),
        ("area_3", {}, "ranking applicants for university admission"),
        ("area_4", {}, "CV screening that shortlists job applicants"),
        ("area_5", {"annex_iii_5_uses": ["creditworthiness"]}, "consumer credit scoring"),
        ("area_6", {}, "scoring the reliability of evidence for police investigators"),
        ("area_7", {}, "risk triage of visa applications"),
        ("area_8", {}, "assistant drafting the legal analysis for a judge"),
    ],
)
def test_each_annex_iii_area_is_high_risk(rules, area, extra, case):
    outcome = classify(rules, annex_iii(area, **extra), "provider")
    assert outcome.risk_class == "high_risk", case
    assert outcome.legal_basis == ["art-6", f"annex-iii-{area[-1]}"]
    assert outcome.citations == ["Art. 6(2)", "Annex III"]
    assert outcome.flags == ["annex_iii"]
    assert outcome.obligations == ["art-4", *HIGH_RISK_PROVIDER, "art-49"]


@pytest.mark.parametrize(
    "use", ["public_benefits", "creditworthiness", "life_health_insurance", "emergency_calls"]
)
def test_essential_services_use_cases(rules, use):
    outcome = classify(rules, annex_iii("area_5", annex_iii_5_uses=[use]), "provider")
    assert (outcome.risk_class, outcome.legal_basis) == ("high_risk", ["art-6", "annex-iii-5"])


def test_credit_fraud_detection_alone_is_not_high_risk(rules):
    case = answers(annex_iii_areas=["area_5"], annex_iii_5_uses=["fraud_detection"])
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "minimal_risk"
    assert outcome.legal_basis == []


def test_several_areas_are_all_cited(rules):
    case = annex_iii("area_4", "area_1")
    assert classify(rules, case, "provider").legal_basis == ["art-6", "annex-iii-1", "annex-iii-4"]


# ---- Art. 6(3) derogations and profiling --------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "derogation", "justification"),
    [
        ("area_4", "a", "Turns scanned application forms into structured records; no ranking."),
        (
            "area_3",
            "b",
            "Polishes the wording of feedback a teacher has already written and graded.",
        ),
        (
            "area_3",
            "c",
            "Flags grades that depart from a teacher's past pattern for a second look.",
        ),
        ("area_7", "d", "Translates case documents before an officer examines the application."),
    ],
)
def test_each_derogation_documented_is_not_high_risk(rules, area, derogation, justification):
    case = answers(
        annex_iii_areas=[area],
        art6_3_derogations=[derogation],
        performs_profiling=False,
        derogation_justification=justification,
    )
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "minimal_risk"
    assert outcome.legal_basis == ["art-6", f"annex-iii-{area[-1]}", f"art-6-3-{derogation}"]
    assert outcome.flags == ["derogation_applied"]
    assert outcome.citations == ["Art. 6(3)"]
    assert any(justification in line for line in outcome.rationale)
    # The provider documents the assessment and registers the system; nothing high-risk follows.
    assert outcome.obligations == ["art-4", "art-6", "art-49"]
    assert classify(rules, case, "deployer").obligations == ["art-4"]


def test_derogation_with_transparency_duty_is_limited_risk(rules):
    case = answers(
        annex_iii_areas=["area_4"],
        art6_3_derogations=["a"],
        performs_profiling=False,
        derogation_justification="Answers candidates' questions about the application process.",
        art50_features=["interacts_with_people"],
    )
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "limited_risk"
    assert outcome.legal_basis == ["art-6", "annex-iii-4", "art-6-3-a", "art-50-1"]


def test_profiling_refuses_the_derogation(rules):
    # A credit pre-screening tool "only prepares" the decision, but it profiles applicants.
    case = annex_iii(
        "area_5",
        annex_iii_5_uses=["creditworthiness"],
        art6_3_derogations=["d"],
        performs_profiling=True,
    )
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "high_risk"
    assert outcome.legal_basis == ["art-6", "annex-iii-5"]
    assert "art-6-3-d" not in outcome.legal_basis
    assert "derogation_applied" not in outcome.flags
    assert any("not available because the system profiles" in line for line in outcome.rationale)


# ---- Art. 50 ------------------------------------------------------------------------------------


def test_transparency_duties_stack_on_a_high_risk_recruitment_chatbot(rules):
    # A chatbot that interviews applicants and screens them for the recruiter.
    case = annex_iii("area_4", art50_features=["interacts_with_people"])
    provider = classify(rules, case, "provider")
    assert provider.risk_class == "high_risk"
    assert provider.legal_basis == ["art-6", "annex-iii-4"]
    assert provider.duties == ["art-50-1"]
    assert {"art-9", "art-43", "art-50", "art-50-1"} <= set(provider.obligations)
    assert any("stack on the high-risk class" in line for line in provider.rationale)
    # The duty to tell people they talk to an AI sits with the provider, not the deployer.
    deployer = classify(rules, case, "deployer")
    assert deployer.duties == ["art-50-1"]
    assert "art-50-1" not in deployer.obligations


@pytest.mark.parametrize(
    ("features", "role", "duties", "obligations"),
    [
        (["interacts_with_people"], "provider", ["art-50-1"], ["art-4", "art-50", "art-50-1"]),
        (
            ["generates_synthetic_content"],
            "provider",
            ["art-50-2"],
            ["art-4", "art-50", "art-50-2"],
        ),
        (
            ["emotion_or_biometric_categorisation"],
            "deployer",
            ["art-50-3"],
            ["art-4", "art-50", "art-50-3"],
        ),
        (["deep_fakes"], "deployer", ["art-50-4"], ["art-4", "art-50", "art-50-4"]),
        (
            ["public_interest_text", "deep_fakes"],
            "deployer",
            ["art-50-4"],
            ["art-4", "art-50", "art-50-4"],
        ),
    ],
)
def test_limited_risk_duties_per_role(rules, features, role, duties, obligations):
    outcome = classify(rules, answers(art50_features=features), role)
    assert outcome.risk_class == "limited_risk"
    assert outcome.legal_basis == duties
    assert outcome.duties == duties
    assert outcome.obligations == obligations


def test_customer_service_chatbot_deployer_only_owes_literacy(rules):
    outcome = classify(rules, answers(art50_features=["interacts_with_people"]), "deployer")
    assert outcome.risk_class == "limited_risk"
    assert outcome.obligations == ["art-4"]


# ---- general-purpose AI models ------------------------------------------------------------------


def test_gpai_model_below_the_threshold(rules):
    # A 7B-parameter assistant model trained with about 3e24 FLOP, offered through an API.
    case = answers(
        art50_features=["interacts_with_people", "generates_synthetic_content"],
        gpai_model=True,
        gpai_training_flops=3e24,
        gpai_designated=False,
        gpai_open_source=False,
    )
    outcome = classify(rules, case, "provider")
    assert (outcome.gpai, outcome.gpai_systemic) == (True, False)
    assert outcome.risk_class == "limited_risk"
    assert "art-53" in outcome.legal_basis
    assert "art-53" in outcome.obligations
    assert "art-55" not in outcome.obligations
    assert any("not above the threshold" in line for line in outcome.rationale)


def test_gpai_model_above_the_threshold_has_systemic_risk(rules):
    case = answers(gpai_model=True, gpai_training_flops=5e25)
    assert "gpai_designated" not in ids(visible_questions(rules, case))
    outcome = classify(rules, case, "provider")
    assert (outcome.gpai, outcome.gpai_systemic) == (True, True)
    assert outcome.legal_basis == ["art-53", "art-51", "art-55"]
    assert outcome.citations == ["Art. 51(2)"]
    assert outcome.obligations[-2:] == ["art-53", "art-55"]
    assert any("5e+25 FLOP is above the threshold" in line for line in outcome.rationale)


def test_gpai_threshold_is_strictly_above_and_designation_also_counts(rules):
    at = answers(
        gpai_model=True, gpai_training_flops=1e25, gpai_designated=False, gpai_open_source=False
    )
    assert not classify(rules, at, "provider").gpai_systemic
    designated = answers(gpai_model=True, gpai_training_flops=8e24, gpai_designated=True)
    outcome = classify(rules, designated, "provider")
    assert outcome.gpai_systemic
    assert outcome.citations == ["Art. 51(1)"]


def test_standalone_gpai_model_has_model_duties_but_no_system_class(rules):
    case = {
        "is_ai_system": False,
        "eu_nexus": True,
        "exclusions": ["none"],
        "gpai_model": True,
        "gpai_training_flops": 2e25,
    }
    outcome = classify(rules, case, "provider")
    assert outcome.risk_class == "out_of_scope"
    assert outcome.gpai_systemic
    assert outcome.obligations == ["art-53", "art-55"]
    assert classify(rules, case, "authorised-representative").obligations == ["art-54"]


def test_open_source_gpai_model_without_systemic_risk(rules):
    # Open-weights 2e24 FLOP model published under an open-source licence.
    case = answers(
        gpai_model=True, gpai_training_flops=2e24, gpai_designated=False, gpai_open_source=True
    )
    outcome = classify(rules, case, "provider")
    assert outcome.gpai and not outcome.gpai_systemic
    assert "art-53" in outcome.obligations
    assert outcome.citations == ["Art. 53(2)", "Art. 54(6)"]
    assert classify(rules, case, "authorised-representative").obligations == []
    # Above the threshold the question is not asked: systemic-risk models get no relief.
    big = answers(gpai_model=True, gpai_training_flops=3e25, gpai_open_source=True)
    assert "gpai_open_source" not in classify(rules, big, "provider").answers


# ---- minimal risk -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "role"),
    [
        ("e-mail spam filter bought in and run by the IT team", "deployer"),
        ("inventory demand forecasting built in-house", "provider"),
    ],
)
def test_minimal_risk(rules, case, role):
    # Nothing in Art. 5, Annex I, Annex III or Art. 50 applies: every screening answer is 'none'.
    outcome = classify(rules, answers(), role)
    assert outcome.risk_class == "minimal_risk", case
    assert outcome.legal_basis == []
    assert outcome.duties == []
    assert outcome.obligations == ["art-4"]
    assert any(line.startswith("Minimal risk") for line in outcome.rationale)
    assert classify(rules, answers(), "importer").obligations == []


# ---- obligations per operator role --------------------------------------------------------------


def test_provider_and_deployer_of_the_same_high_risk_system_differ(rules):
    cv_screening = annex_iii("area_4")
    provider = classify(rules, cv_screening, "provider")
    deployer = classify(rules, cv_screening, "deployer")
    assert provider.risk_class == deployer.risk_class == "high_risk"
    assert provider.legal_basis == deployer.legal_basis
    assert provider.obligations == ["art-4", *HIGH_RISK_PROVIDER, "art-49"]
    assert deployer.obligations == ["art-4", "art-26", "art-86", "art-25"]
    assert classify(rules, cv_screening, "importer").obligations == ["art-23", "art-25"]
    assert classify(rules, cv_screening, "distributor").obligations == ["art-24", "art-25"]
    assert classify(rules, cv_screening, "authorised-representative").obligations == ["art-22"]


def test_fundamental_rights_impact_assessment_for_public_and_credit_deployers(rules):
    public_benefits = annex_iii(
        "area_5", annex_iii_5_uses=["public_benefits"], deployer_type="public_authority"
    )
    obligations = classify(rules, public_benefits, "deployer").obligations
    assert {"art-26", "art-27", "art-49", "art-86"} <= set(obligations)
    bank = annex_iii("area_5", annex_iii_5_uses=["creditworthiness"])  # a private bank
    assert "art-27" in classify(rules, bank, "deployer").obligations
    assert "art-49" not in classify(rules, bank, "deployer").obligations
    school = annex_iii("area_3", deployer_type="public_service_provider")
    assert "art-27" in classify(rules, school, "deployer").obligations
    employer = annex_iii("area_4")  # a private employer screening CVs
    assert "art-27" not in classify(rules, employer, "deployer").obligations
    # Critical infrastructure is excluded from the assessment and from EU-database registration.
    grid = annex_iii("area_2", deployer_type="public_authority")
    grid_obligations = classify(rules, grid, "deployer").obligations
    assert grid_obligations == ["art-4", "art-26", "art-25"]


# ---- validation ---------------------------------------------------------------------------------


def test_valid_answers_have_no_errors(rules):
    assert validate_answers(rules, annex_iii("area_4")) == {}


def test_validation_errors_name_each_field(rules):
    errors = validate_answers(
        rules,
        {
            "is_ai_system": "yes",
            "eu_nexus": True,
            "exclusions": ["none", "military"],
            "art5_practices": ["z"],
            "annex_i_product": "spaceship",
            "gpai_training_flops": -1,
            "favourite_colour": "blue",
        },
    )
    assert errors["is_ai_system"].startswith("Answer yes or no")
    assert "cannot be combined" in errors["exclusions"]
    assert "Unknown option 'z'" in errors["art5_practices"]
    assert "Unknown option 'spaceship'" in errors["annex_i_product"]
    assert errors["gpai_training_flops"] == "Must be at least 0."
    assert errors["favourite_colour"] == "Unknown question."


def test_missing_answers_are_reported_unless_partial(rules):
    partial = {"is_ai_system": True, "eu_nexus": True}
    assert validate_answers(rules, partial) == {"exclusions": "This question needs an answer."}
    assert validate_answers(rules, partial, complete=False) == {}


def test_relied_on_derogation_needs_a_written_justification(rules):
    case = answers(annex_iii_areas=["area_4"], art6_3_derogations=["a"], performs_profiling=False)
    errors = validate_answers(rules, case)
    assert list(errors) == ["derogation_justification"]
    assert "must be documented" in errors["derogation_justification"]
    errors = validate_answers(rules, {**case, "derogation_justification": "Sorting."})
    assert "must be documented" in errors["derogation_justification"]
    with pytest.raises(AnswersError) as raised:
        classify(rules, case, "provider")
    assert "derogation_justification" in raised.value.errors


def test_classify_refuses_invalid_answers_and_unknown_roles(rules):
    with pytest.raises(AnswersError) as raised:
        classify(rules, answers(art5_practices="a"), "provider")
    assert "art5_practices" in raised.value.errors
    with pytest.raises(AnswersError) as raised:
        classify(rules, answers(), "end-user")
    assert "role" in raised.value.errors


def test_form_values_are_coerced(rules):
    raw = {
        "is_ai_system": "yes",
        "eu_nexus": "on",
        "exclusions": "none",
        "gpai_training_flops": "3e24",
        "open_source_release": "maybe",
    }
    coerced = coerce_answers(rules, raw)
    assert coerced["is_ai_system"] is True and coerced["eu_nexus"] is True
    assert coerced["exclusions"] == ["none"]
    assert coerced["gpai_training_flops"] == 3e24
    assert coerced["open_source_release"] == "maybe"  # left for validation to report


def test_classification_is_deterministic(rules):
    case = annex_iii("area_4", "area_1", art50_features=["deep_fakes", "interacts_with_people"])
    reordered = {**case, "annex_iii_areas": ["area_1", "area_4"]}
    reordered["art50_features"] = ["interacts_with_people", "deep_fakes"]
    assert classify(rules, case, "provider") == classify(rules, reordered, "provider")
    assert json.dumps(classify(rules, case, "provider").to_dict())  # storable as JSON


# ---- 2024.2: the same questions and decisions, the catalog nodes added since 2024.1 -------------

NEW_IN_2024_2 = {"art-2", "art-6-1", "art-6-2", "annex-i", "art-52", "annex-iv"}
PROVISIONS_WITH_NODES_NOW = {"Art. 6(1)", "Annex I", "Art. 6(2)", "Annex III"}
ROLES = ("provider", "deployer", "importer", "distributor", "authorised-representative")


@pytest.fixture(scope="module")
def rules_2024_2():
    return load_rules(RULES_2024_2)


def screening_cases() -> list[dict[str, Any]]:
    """Answer sets reaching every class rule, flag rule, duty rule and obligation rule."""
    cases: list[dict[str, Any]] = [
        {"is_ai_system": True, "eu_nexus": False},
        {"is_ai_system": False, "eu_nexus": False, "gpai_model": True},
        {"is_ai_system": False, "eu_nexus": True, "exclusions": ["none"], "gpai_model": False},
        answers(),
        answers(open_source_release=True),
        answers(annex_i_product="toys", annex_i_third_party=False),
        answers(annex_iii_areas=["area_5"], annex_iii_5_uses=["fraud_detection"]),
        annex_iii("area_4", "area_1", art50_features=["deep_fakes", "interacts_with_people"]),
        annex_iii("area_5", annex_iii_5_uses=["creditworthiness", "life_health_insurance"]),
        annex_iii(
            "area_5",
            annex_iii_5_uses=["creditworthiness"],
            art6_3_derogations=["d"],
            performs_profiling=True,
        ),
        answers(
            annex_iii_areas=["area_4"],
            art6_3_derogations=["a"],
            performs_profiling=False,
            derogation_justification="Turns scanned application forms into structured records.",
            art50_features=["interacts_with_people"],
        ),
        answers(
            gpai_model=True, gpai_training_flops=2e24, gpai_designated=False, gpai_open_source=True
        ),
        answers(gpai_model=True, gpai_training_flops=8e24, gpai_designated=True),
        {
            "is_ai_system": False,
            "eu_nexus": True,
            "exclusions": ["none"],
            "gpai_model": True,
            "gpai_training_flops": 2e25,
        },
    ]
    for exclusion in ("military", "scientific_research", "pre_market_rd", "personal_use"):
        cases.append({"is_ai_system": True, "eu_nexus": True, "exclusions": [exclusion]})
    for practice in "abcdefgh":
        cases.append(answers(art5_practices=[practice]))
    for product in ("medical_devices", "machinery", "transport"):
        cases.append(
            answers(
                annex_i_product=product,
                annex_i_third_party=True,
                art50_features=["generates_synthetic_content"],
                gpai_model=True,
                gpai_training_flops=5e25,
            )
        )
    for area in ("area_1", "area_2", "area_3", "area_4", "area_6", "area_7", "area_8"):
        for deployer_type in ("public_authority", "public_service_provider", "other"):
            cases.append(annex_iii(area, deployer_type=deployer_type))
    for use in ("public_benefits", "creditworthiness", "life_health_insurance", "emergency_calls"):
        cases.append(annex_iii("area_5", annex_iii_5_uses=[use], deployer_type="public_authority"))
    for features in (
        ["interacts_with_people"],
        ["generates_synthetic_content"],
        ["emotion_or_biometric_categorisation"],
        ["deep_fakes", "public_interest_text"],
    ):
        cases.append(answers(art50_features=features))
    return cases


def test_2024_2_changes_nothing_but_the_nodes_named(rules, rules_2024_2):
    old, new = rules.content, rules_2024_2.content
    assert new["version"] == "2024.2"
    for key in ("key", "title", "framework", "classes", "roles", "flags", "constants"):
        assert new[key] == old[key], key
    for key in ("sections", "definitions", "questions", "duty_rules"):
        assert new[key] == old[key], key
    for section in ("class_rules", "flag_rules", "obligation_rules"):
        pairs = list(zip(old[section], new[section], strict=True))
        for before, after in pairs:
            decision = ("id", "when", "class", "flags", "rationale", "duties", "duties_from")
            assert {k: before.get(k) for k in decision} == {k: after.get(k) for k in decision}


@pytest.mark.parametrize("role", ROLES)
def test_2024_2_asks_and_decides_as_2024_1(rules, rules_2024_2, role):
    def strip(node_ids: list[str]) -> list[str]:
        return [n for n in node_ids if n not in NEW_IN_2024_2]

    for case in screening_cases():
        assert ids(visible_questions(rules_2024_2, case)) == ids(visible_questions(rules, case))
        assert validate_answers(rules_2024_2, case) == validate_answers(rules, case) == {}, case
        before = classify(rules, case, role)
        after = classify(rules_2024_2, case, role)
        same = ("risk_class", "gpai", "gpai_systemic", "flags", "duties", "rationale")
        assert [getattr(after, k) for k in same] == [getattr(before, k) for k in same], case
        assert (after.matched_rules, after.answers) == (before.matched_rules, before.answers)
        high_risk = before.risk_class == "high_risk"
        # Only the nodes named change: art-6 of a high-risk result became art-6-1 or art-6-2 ...
        assert strip(after.legal_basis) == [
            n for n in before.legal_basis if not (high_risk and n == "art-6")
        ], case
        assert strip(after.obligations) == before.obligations, case
        assert after.citations == [
            c for c in before.citations if c not in PROVISIONS_WITH_NODES_NOW
        ], case
        # ... and each new node appears exactly where it belongs.
        matched = {m.split(":", 1)[1] for m in before.matched_rules}
        outside = bool({"outside-territory", "excluded", "open-source-release"} & matched)
        assert ("art-2" in after.legal_basis) is outside, case
        assert ("art-6-1" in after.legal_basis) is ("annex-i" in after.legal_basis), case
        assert ("art-6-1" in after.legal_basis) is (high_risk and "annex_i" in after.flags)
        assert ("art-6-2" in after.legal_basis) is (high_risk and "annex_iii" in after.flags)
        assert ("art-52" in after.legal_basis) is after.gpai_systemic, case
        assert ("art-52" in after.obligations) is ("art-55" in after.obligations), case
        assert ("annex-iv" in after.obligations) is ("art-11" in after.obligations), case
        if "annex-iv" in after.obligations:
            assert after.obligations.index("annex-iv") == after.obligations.index("art-11") + 1


def test_2024_2_annex_iii_use_case_cites_art_6_2(rules_2024_2):
    # CV screening that shortlists job applicants.
    outcome = classify(rules_2024_2, annex_iii("area_4"), "provider")
    assert (outcome.risk_class, outcome.rules_version) == ("high_risk", "2024.2")
    assert outcome.legal_basis == ["art-6-2", "annex-iii-4"]
    assert outcome.citations == []
    provider = ["art-4", *HIGH_RISK_PROVIDER, "art-49"]
    provider.insert(provider.index("art-11") + 1, "annex-iv")
    assert outcome.obligations == provider
    deployer = classify(rules_2024_2, annex_iii("area_4"), "deployer")
    assert deployer.legal_basis == ["art-6-2", "annex-iii-4"]
    assert deployer.obligations == ["art-4", "art-26", "art-86", "art-25"]


def test_2024_2_annex_i_product_cites_art_6_1_and_annex_i(rules_2024_2):
    # Vision system stopping an industrial robot when a person comes close.
    case = answers(annex_i_product="machinery", annex_i_third_party=True)
    outcome = classify(rules_2024_2, case, "provider")
    assert outcome.risk_class == "high_risk"
    assert outcome.legal_basis == ["art-6-1", "annex-i"]
    assert outcome.citations == []
    assert outcome.flags == ["annex_i"]
    assert "art-6-2" not in outcome.legal_basis and "art-49" not in outcome.obligations
    assert outcome.obligations[outcome.obligations.index("art-11") + 1] == "annex-iv"


def test_2024_2_results_outside_the_act_cite_art_2(rules_2024_2):
    outside = classify(rules_2024_2, {"is_ai_system": True, "eu_nexus": False}, "provider")
    assert (outside.legal_basis, outside.citations) == (["art-2"], ["Art. 2(1)"])
    case = {"is_ai_system": True, "eu_nexus": True, "exclusions": ["military", "personal_use"]}
    excluded = classify(rules_2024_2, case, "provider")
    assert (excluded.legal_basis, excluded.citations) == (["art-2"], ["Art. 2(3)", "Art. 2(10)"])
    released = classify(rules_2024_2, answers(open_source_release=True), "provider")
    assert (released.legal_basis, released.citations) == (["art-2"], ["Art. 2(12)"])
    # Not an AI system is a matter of definition (Art. 3), not of scope.
    rule_based = {"is_ai_system": False, "eu_nexus": True, "exclusions": ["none"]}
    assert classify(rules_2024_2, {**rule_based, "gpai_model": False}, "provider").legal_basis == [
        "art-3"
    ]


def test_2024_2_systemic_risk_models_cite_art_52_beside_art_55(rules_2024_2):
    case = answers(gpai_model=True, gpai_training_flops=5e25)
    outcome = classify(rules_2024_2, case, "provider")
    assert outcome.legal_basis == ["art-53", "art-51", "art-52", "art-55"]
    assert outcome.obligations[-3:] == ["art-53", "art-52", "art-55"]
    below = answers(
        gpai_model=True, gpai_training_flops=3e24, gpai_designated=False, gpai_open_source=False
    )
    assert "art-52" not in classify(rules_2024_2, below, "provider").obligations
    standalone = {
        "is_ai_system": False,
        "eu_nexus": True,
        "exclusions": ["none"],
        "gpai_model": True,
        "gpai_training_flops": 2e25,
    }
    assert classify(rules_2024_2, standalone, "authorised-representative").obligations == ["art-54"]


def test_2024_2_derogation_keeps_art_6_and_cites_art_6_3(rules_2024_2):
    case = answers(
        annex_iii_areas=["area_7"],
        art6_3_derogations=["d"],
        performs_profiling=False,
        derogation_justification="Translates case documents before an officer examines them.",
    )
    outcome = classify(rules_2024_2, case, "provider")
    assert outcome.risk_class == "minimal_risk"
    assert outcome.legal_basis == ["art-6", "annex-iii-7", "art-6-3-d"]
    assert outcome.citations == ["Art. 6(3)"]
    assert outcome.obligations == ["art-4", "art-6", "art-49"]


# ---- versioning ---------------------------------------------------------------------------------


def test_a_new_rule_version_changes_new_results_only(tmp_path):
    rules = load_rules(LATEST_FILE)
    fraud_only = answers(annex_iii_areas=["area_5"], annex_iii_5_uses=["fraud_detection"])
    before = classify(rules, fraud_only, "provider")
    assert (before.risk_class, before.rules_version) == ("minimal_risk", rules.version)

    # The next version: a (hypothetical) amendment moves credit-fraud detection into the
    # high-risk list.
    new_version = next_version(rules.version)
    data = yaml.safe_load(LATEST_FILE.read_text(encoding="utf-8"))
    data["version"] = new_version
    uses = next(q for q in data["questions"] if q["id"] == "annex_iii_5_uses")
    fraud = next(o for o in uses["options"] if o["id"] == "fraud_detection")
    fraud["nodes"] = ["annex-iii-5"]
    fraud["help"] = "Now listed as a high-risk use case."
    area_5 = next(
        branch["all"]
        for branch in data["definitions"]["annex_iii_hit"]["any"]
        if "all" in branch and {"answer": "annex_iii_areas", "includes": "area_5"} in branch["all"]
    )
    hit = next(test for test in area_5 if test.get("answer") == "annex_iii_5_uses")
    hit["includes_any"].append("fraud_detection")
    new_file = tmp_path / f"{new_version}.yaml"
    new_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    changed = load_rules(new_file)
    assert changed.version == new_version
    assert changed.sha256 != rules.sha256

    case = {**fraud_only, "art6_3_derogations": ["none"], "deployer_type": "other"}
    after = classify(changed, case, "provider")
    assert (after.risk_class, after.rules_version) == ("high_risk", new_version)
    assert "annex-iii-5" in after.legal_basis
    # The earlier result keeps its version, and re-running the earlier version still gives it.
    assert classify(load_rules(LATEST_FILE), fraud_only, "provider") == before
    assert before.rules_version == rules.version


# ---- rule file errors ---------------------------------------------------------------------------


def broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == qid)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="blue"), "top level: unknown key 'colour'"),
        (lambda d: d.update(version=2024.1), "'version' must be quoted text"),
        (
            lambda d: question(d, "eu_nexus").update(type="slider"),
            "question 'eu_nexus': 'type' must be one of",
        ),
        (
            lambda d: d["class_rules"][0].update(when="answers['eu_nexus'] == False"),
            "a condition must be a mapping",
        ),
        (
            lambda d: d["class_rules"][0].update(when={"answer": "eu_nexsu", "equals": False}),
            "unknown question 'eu_nexsu'",
        ),
        (
            lambda d: d["class_rules"][1].update(when={"answer": "exclusions", "includes": "navy"}),
            "'navy' is not an option of 'exclusions'",
        ),
        (
            lambda d: question(d, "exclusions").update(
                ask_if={"answer": "gpai_model", "equals": True}
            ),
            "refers to 'gpai_model', which is not asked earlier",
        ),
        (lambda d: d["class_rules"].pop(), "the last rule must be a catch-all"),
        (
            lambda d: d["flag_rules"][0].update({"class": "high_risk"}),
            "'class' 'high_risk' is not allowed here",
        ),
        (
            lambda d: d["class_rules"][3].update(when={"role_in": ["provider"]}),
            "'role_in' cannot be used here",
        ),
        (
            lambda d: d["class_rules"][3].update(rationale="Because {colour}."),
            "placeholder {colour} names no question",
        ),
        (
            lambda d: d["definitions"].update(x={"ref": "nowhere"}),
            "unknown definition 'nowhere'",
        ),
        (
            lambda d: d["flag_rules"][1]["when"]["all"][1].update(gt={"const": "nope"}),
            "unknown constant 'nope'",
        ),
    ],
)
def test_malformed_rule_files_are_refused_with_the_reason(tmp_path, change, message):
    with pytest.raises(RulesError) as raised:
        load_rules(broken(tmp_path, change))
    assert message in str(raised.value)
    assert str(raised.value).startswith("broken.yaml: ")


def test_unreadable_and_invalid_yaml_files(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: [unclosed", encoding="utf-8")
    with pytest.raises(RulesError, match="not valid YAML"):
        load_rules(bad)


def test_rules_read_back_with_sorted_keys_give_the_same_results(rules):
    """PostgreSQL's jsonb returns the stored rules with every mapping's keys sorted."""

    def sort_keys(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: sort_keys(node[k]) for k in sorted(node)}
        if isinstance(node, list):
            return [sort_keys(v) for v in node]
        return node

    stored = parse_rules(sort_keys(rules.content), source="stored")
    case = annex_iii("area_5", annex_iii_5_uses=["creditworthiness"])
    assert (
        classify(stored, case, "provider").to_dict() == classify(rules, case, "provider").to_dict()
    )


def test_definitions_in_a_circle_are_refused(rules):
    content = dict(rules.content)
    content["definitions"] = {
        **content["definitions"],
        "loop_a": {"ref": "loop_b"},
        "loop_b": {"ref": "loop_a"},
    }
    with pytest.raises(RulesError, match="circle"):
        parse_rules(content, source="looping")
