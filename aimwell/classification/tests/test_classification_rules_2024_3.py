"""The 2024.3 rules (pure, no DB): several roles at once with each obligation tagged by its role,
Annex III screened by point with the point node in the basis, the fraud-detection carve-out and
the Art. 6(3) derogations stated with their provision, questions asked per role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aimwell.classification.engine import (
    AnswersError,
    classify,
    load_rules,
    visible_questions,
)

RULES_FILE = Path(__file__).resolve().parents[2] / "data" / "rules"
RULES_FILE = RULES_FILE / "eu-ai-act-classification" / "2024.3.yaml"

# Annex III as the Regulation numbers it: area -> its lettered points (area 2 has none).
ANNEX_III_POINTS = {
    1: "abc",
    2: "",
    3: "abcd",
    4: "ab",
    5: "abcd",
    6: "abcde",
    7: "abcd",
    8: "ab",
}
# Area 5 asks its use cases by name; the Regulation's letters in order.
AREA_5_USES = {
    "a": "public_benefits",
    "b": "creditworthiness",
    "c": "life_health_insurance",
    "d": "emergency_calls",
}


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_FILE)


def answers(**changes: Any) -> dict[str, Any]:
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


def point_case(area: int, letter: str) -> dict[str, Any]:
    case: dict[str, Any] = {
        "annex_iii_areas": [f"area_{area}"],
        "art6_3_derogations": ["none"],
        "deployer_type": "other",
    }
    if letter:
        case[f"annex_iii_{area}_uses"] = [AREA_5_USES[letter] if area == 5 else letter]
    return answers(**case)


def test_header_names_the_new_version_and_the_product_manufacturer(rules):
    assert rules.version == "2024.3"
    assert "product-manufacturer" in rules.roles and "provider" in rules.roles


@pytest.mark.parametrize(
    ("area", "letter"),
    [(area, letter) for area, letters in ANNEX_III_POINTS.items() for letter in letters or [""]],
)
def test_each_annex_iii_point_is_cited_in_the_basis_and_the_rationale(rules, area, letter):
    outcome = classify(rules, point_case(area, letter), ["provider", "deployer"])
    point = f"annex-iii-{area}-{letter}" if letter else f"annex-iii-{area}"
    assert outcome.risk_class == "high_risk"
    assert outcome.legal_basis == ["art-6-2", f"annex-iii-{area}", *([point] if letter else [])]
    quoted = f"{area}({letter})" if letter else f"Annex III, point {area}:"
    assert any(quoted in line for line in outcome.rationale), outcome.rationale


def test_an_area_without_one_of_its_points_is_not_a_use_case(rules):
    case = answers(annex_iii_areas=["area_4"], annex_iii_4_uses=["none"])
    outcome = classify(rules, case, "deployer")
    assert outcome.risk_class == "minimal_risk"
    assert "annex_iii" not in outcome.flags and not any(
        "annex-iii" in n for n in outcome.legal_basis
    )


def test_fraud_detection_carve_out_cites_annex_iii_5b(rules):
    case = answers(annex_iii_areas=["area_5"], annex_iii_5_uses=["fraud_detection"])
    outcome = classify(rules, case, ["provider", "deployer"])
    assert outcome.risk_class == "minimal_risk"
    assert outcome.legal_basis == ["annex-iii-5-b"]
    assert outcome.citations == ["Annex III, point 5(b)"]
    assert any(line.startswith("Carve-out (Annex III, point 5(b))") for line in outcome.rationale)
    # Fraud detection next to credit scoring: the carve-out is stated and the credit use decides.
    both = answers(
        annex_iii_areas=["area_5"],
        annex_iii_5_uses=["creditworthiness", "fraud_detection"],
        art6_3_derogations=["none"],
        deployer_type="other",
    )
    mixed = classify(rules, both, "provider")
    assert mixed.risk_class == "high_risk" and "Annex III, point 5(b)" in mixed.citations


def test_provider_and_deployer_of_5b_owe_the_fria_on_the_deployer_side(rules):
    outcome = classify(rules, point_case(5, "b"), ["deployer", "provider"])
    assert outcome.roles == ["provider", "deployer"]  # the Act's order, whatever the input order
    tagged = outcome.obligation_roles
    assert tagged["art-27"] == ["deployer"]
    for article in (26, 86):
        assert tagged[f"art-{article}"] == ["deployer"]
    provider_articles = [*range(9, 18), 43, 47, 48, 49, 72, 73]
    for article in provider_articles:
        assert tagged[f"art-{article}"] == ["provider"], article
    assert tagged["art-4"] == ["provider", "deployer"]
    assert set(outcome.obligations) == set(tagged)
    # The same answers for the provider alone: no deployer duties.
    provider_only = classify(rules, {**point_case(5, "b"), "deployer_type": None}, "provider")
    assert not {"art-26", "art-27", "art-86"} & set(provider_only.obligations)


def test_the_fria_is_owed_for_5b_but_not_by_a_private_employer(rules):
    employer = classify(rules, point_case(4, "a"), "deployer")
    assert "art-27" not in employer.obligations and "art-26" in employer.obligations
    public = classify(
        rules, {**point_case(4, "a"), "deployer_type": "public_authority"}, "deployer"
    )
    assert public.obligation_roles["art-27"] == ["deployer"]


def test_questions_are_asked_per_role(rules):
    case = point_case(5, "b")
    provider_questions = {q.id for q in visible_questions(rules, case, ["provider"])}
    deployer_questions = {q.id for q in visible_questions(rules, case, ["deployer"])}
    assert "deployer_type" in deployer_questions and "deployer_type" not in provider_questions
    assert "gpai_model" in provider_questions and "gpai_model" not in deployer_questions
    # Roles not known yet (None): every question is shown.
    assert {"deployer_type", "gpai_model"} <= {q.id for q in visible_questions(rules, case)}
    # A deployer must say what kind of organisation it is; a provider alone need not.
    without = {k: v for k, v in case.items() if k != "deployer_type"}
    with pytest.raises(AnswersError) as refused:
        classify(rules, without, ["provider", "deployer"])
    assert set(refused.value.errors) == {"deployer_type"}
    assert classify(rules, without, "provider").risk_class == "high_risk"


def test_derogations_are_stated_with_their_article(rules):
    claimed = {
        **point_case(4, "a"),
        "art6_3_derogations": ["a"],
        "performs_profiling": False,
        "derogation_justification": "Only sorts incoming applications by job reference number.",
    }
    claimed.pop("deployer_type")
    applied = classify(rules, claimed, "provider")
    assert applied.risk_class == "minimal_risk"
    assert applied.legal_basis == ["art-6", "annex-iii-4", "annex-iii-4-a", "art-6-3-a"]
    assert "Art. 6(3)" in applied.citations
    assert any("Art. 6(3)(a)" in line for line in applied.rationale)
    refused = classify(
        rules,
        {**point_case(4, "a"), "art6_3_derogations": ["a"], "performs_profiling": True},
        "provider",
    )
    assert refused.risk_class == "high_risk"
    assert any("Art. 6(3)" in line and "profiles" in line for line in refused.rationale)


def test_product_manufacturer_of_an_annex_i_product_carries_provider_obligations(rules):
    case = answers(annex_i_product="machinery", annex_i_third_party=True)
    outcome = classify(rules, case, "product-manufacturer")
    assert outcome.risk_class == "high_risk"
    for article in (9, 11, 16, 17, 25, 43, 72, 73):
        assert outcome.obligation_roles[f"art-{article}"] == ["product-manufacturer"]


def test_no_role_or_an_unknown_role_is_refused(rules):
    with pytest.raises(AnswersError) as none_given:
        classify(rules, point_case(5, "b"), [])
    assert "role" in none_given.value.errors
    with pytest.raises(AnswersError):
        classify(rules, point_case(5, "b"), ["provider", "reseller"])
