"""Classification as recorded decisions: rule versions, history, review, pages and API."""

from __future__ import annotations

import shutil

import pytest
import yaml
from django.urls import reverse

from aimwell.classification import services as classification
from aimwell.classification.engine import emitted_node_ids, load_rules, rule_files
from aimwell.classification.errors import ClassificationError
from aimwell.classification.models import Classification, RuleSet
from aimwell.core.models import AuditEvent
from aimwell.inventory import services
from aimwell.inventory.models import AIModel, AISystem, ReviewFlag

# The newest rule version shipped: the one new classifications are decided under.
LATEST = load_rules(rule_files()[-1]).version

SCREENED: dict = {
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
CREDIT = {
    **SCREENED,
    "annex_iii_areas": ["area_5"],
    "annex_iii_5_uses": ["creditworthiness"],
    "art6_3_derogations": ["none"],
    "deployer_type": "other",
}


@pytest.fixture
def scoring(org, contributor):
    return services.create(
        AISystem,
        org,
        actor="t",
        name="Credit scoring",
        purpose="Score loans",
        owner=contributor.user,
        lifecycle_stage="deployed",
        eu_role="provider",
    )


def test_credit_scoring_is_high_risk_with_provider_obligations(scoring, contributor):
    result = classification.classify_system(scoring, CREDIT, actor=contributor.user)
    assert result.risk_class == "high_risk", result.rationale
    assert "annex-iii-5" in result.legal_basis
    assert {"art-9", "art-10", "art-15", "art-72"} <= set(result.obligations)
    assert result.ruleset.version == LATEST and result.decided_by == contributor.user
    obligations = classification.obligations_with_dates(result)
    art9 = next(o for o in obligations if o["urn"] == "eu-ai-act:2024:art-9")
    assert art9["title"] == "Risk management system" and art9["applies_from"]
    assert AuditEvent.objects.filter(action="classification.decided").exists()


def test_a_new_rule_version_is_followed_while_old_results_keep_theirs(
    scoring, tmp_path, contributor
):
    first = classification.classify_system(scoring, CREDIT, actor=contributor.user)
    assert first.risk_class == "high_risk"
    folder = tmp_path / "rules"
    shutil.copytree(classification.RULES_DIR, folder)
    source = rule_files(folder)[-1]
    content = yaml.safe_load(source.read_text())
    head, _, last = LATEST.rpartition(".")
    new_version = content["version"] = f"{head}.{int(last) + 1}"

    # The changed rules no longer treat creditworthiness as an Annex III area-5 hit.
    def drop(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            return {k: drop(v) for k, v in node.items()}
        if isinstance(node, list):
            return [drop(v) for v in node if v != "creditworthiness"]
        return node

    content["definitions"]["annex_iii_hit"] = drop(content["definitions"]["annex_iii_hit"])
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
    (folder / f"{new_version}.yaml").write_text(text)
    try:
        added = classification.sync_rule_sets(folder)
    except Exception as exc:  # the edited rules must still be valid rules
        pytest.fail(f"edited rule set does not load: {exc}")
    assert added == [new_version]
    assert classification.latest_rule_set().version == new_version
    second = classification.classify_system(scoring, CREDIT, actor=contributor.user)
    assert second.ruleset.version == new_version and second.risk_class != "high_risk"
    first.refresh_from_db()
    assert (first.risk_class, first.ruleset.version, first.is_current) == (
        "high_risk",
        LATEST,
        False,
    )
    assert list(scoring.classifications.filter(is_current=True)) == [second]


def test_a_stored_version_cannot_change_under_the_same_number(db, tmp_path):
    classification.sync_rule_sets()
    folder = tmp_path / "rules"
    shutil.copytree(classification.RULES_DIR, folder)
    path = folder / "2024.1.yaml"
    path.write_text(path.read_text().replace("EU AI Act risk classification", "Edited", 1))
    with pytest.raises(ClassificationError, match="new version"):
        classification.sync_rule_sets(folder)
    assert RuleSet.objects.filter(version="2024.1").count() == 1


def test_new_model_version_flips_classification_to_needs_review_and_reclassifying_clears_it(
    org, scoring, contributor
):
    model = services.create(AIModel, org, actor="t", name="gbm", version="1", origin="in_house")
    services.link(scoring, "models", model, actor="t")
    first = classification.classify_system(scoring, CREDIT, actor=contributor.user)
    services.new_model_version(model, version="2", actor=contributor.user)
    flag = ReviewFlag.objects.get(system=scoring, resolved_at__isnull=True)
    assert flag.subject_id == str(first.pk) and "gbm 1 → 2" in flag.reason
    api = contributor.api("GET", f"/api/v1/ai-systems/{scoring.pk}/classifications").json()
    assert api[0]["needs_review"] is True
    classification.classify_system(scoring, CREDIT, actor=contributor.user)
    flag.refresh_from_db()
    assert flag.resolved_at is not None and "re-classified" in flag.resolution_note


def test_api_classifies_and_explains_incomplete_answers(scoring, contributor, staff):
    incomplete = contributor.api(
        "POST",
        f"/api/v1/ai-systems/{scoring.pk}/classification",
        {"answers": {"is_ai_system": True}},
    )
    assert incomplete.status_code == 422
    assert "eu_nexus" in incomplete.json()["message"]
    preview = contributor.api(
        "POST",
        f"/api/v1/ai-systems/{scoring.pk}/classification/preview",
        {"answers": {"is_ai_system": True}},
    )
    assert preview.json()["next_question"] == "eu_nexus"
    assert preview.json()["complete"] is False
    done = contributor.api(
        "POST",
        f"/api/v1/ai-systems/{scoring.pk}/classification",
        {"answers": CREDIT, "role": "deployer"},
    )
    assert done.status_code == 201
    body = done.json()
    assert body["risk_class"] == "high_risk" and body["operator_role"] == "deployer"
    assert "eu-ai-act:2024:art-26" in {o["urn"] for o in body["obligations"]}
    assert (
        staff.api(
            "POST", f"/api/v1/ai-systems/{scoring.pk}/classification", {"answers": CREDIT}
        ).status_code
        == 403
    )
    listed = contributor.api("GET", "/api/v1/ai-systems?risk_class=high_risk").json()
    assert [s["name"] for s in listed["items"]] == ["Credit scoring"]


def test_questionnaire_page_guides_and_records(scoring, contributor):
    url = reverse("classification:classify", args=[scoring.pk])
    first = contributor.client.get(url).content.decode()
    assert 'name="is_ai_system"' in first and 'name="annex_iii_areas"' not in first
    partial = contributor.client.post(
        url,
        {
            "is_ai_system": "yes",
            "eu_nexus": "yes",
            "exclusions": "none",
            "art5_practices": "none",
            "role": "provider",
        },
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=contributor.csrf(),
    )
    body = partial.content.decode()
    assert "<html" not in body and 'name="annex_i_product"' in body
    form = {k: v for k, v in CREDIT.items() if not isinstance(v, bool)}
    form.update({k: "yes" if v else "no" for k, v in CREDIT.items() if isinstance(v, bool)})
    form.update({"role": "provider", "action": "save"})
    saved = contributor.post(url, form)
    assert saved.status_code == 302
    assert Classification.objects.get(system=scoring, is_current=True).risk_class == "high_risk"
    page = contributor.client.get(reverse("inventory:system", args=[scoring.pk])).content.decode()
    assert '<span class="badge warn">High risk</span>' in page  # the label, not the code


def test_cli_classify_with_an_answers_file(scoring, tmp_path):
    import json

    from typer.testing import CliRunner

    from aimwell.cli import app

    path = tmp_path / "answers.json"
    path.write_text(json.dumps(CREDIT))
    org = scoring.organisation.slug
    result = CliRunner().invoke(
        app, ["classify", "Credit scoring", "--organisation", org, "--answers", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "high_risk" in result.output and "annex-iii-5" in result.output
    path.write_text(json.dumps({"is_ai_system": True}))
    incomplete = CliRunner().invoke(
        app, ["classify", "Credit scoring", "--organisation", org, "--answers", str(path)]
    )
    assert incomplete.exit_code == 2 and "nothing was recorded" in incomplete.output
    assert scoring.classifications.count() == 1


def test_every_node_the_stored_rules_can_name_is_in_the_loaded_catalog(catalog):
    from aimwell.catalog.models import RequirementNode

    stored = {r.version: r for r in RuleSet.objects.filter(key=classification.RULES_KEY)}
    assert {load_rules(path).version for path in rule_files()} <= set(stored)
    for version, row in stored.items():
        rules = classification.rules_of(row)
        urns = {f"{rules.framework}:{node_id}" for node_id in emitted_node_ids(rules)}
        found = RequirementNode.objects.filter(
            urn__in=urns, framework__organisation__isnull=True, is_retired=False
        ).values_list("urn", flat=True)
        assert urns - set(found) == set(), f"rules {version} name nodes not in the catalog"
    named = emitted_node_ids(classification.rules_of(stored["2024.2"]))
    assert {"art-2", "art-6-1", "art-6-2", "annex-i", "art-52", "annex-iv"} <= named


def test_a_result_under_older_rules_stands_and_says_so_until_classified_again(scoring, contributor):
    from typer.testing import CliRunner

    from aimwell.cli import app

    older = RuleSet.objects.get(key=classification.RULES_KEY, version="2024.1")
    assert LATEST != "2024.1"
    first = classification.classify_system(scoring, CREDIT, actor=contributor.user, rule_set=older)
    assert (first.legal_basis, first.citations) == (
        ["art-6", "annex-iii-5"],
        ["Art. 6(2)", "Annex III"],
    )
    assert classification.newer_rules(first) == LATEST
    # A new rule version alone does not put the decision up for review ...
    assert not ReviewFlag.objects.filter(system=scoring, resolved_at__isnull=True).exists()
    # ... but every view of it says it predates the rules in use.
    page = contributor.client.get(reverse("inventory:system", args=[scoring.pk])).content.decode()
    assert 'id="older-rules"' in page and f"new classifications use rules {LATEST}" in page
    questionnaire = contributor.client.get(reverse("classification:classify", args=[scoring.pk]))
    body = questionnaire.content.decode()
    assert 'id="older-rules"' in body and f"rules version {LATEST}" in body
    assert 'value="creditworthiness" checked' in body.replace("  ", " ")  # answers carried over
    api = contributor.api("GET", f"/api/v1/ai-systems/{scoring.pk}/classifications").json()
    assert (api[0]["ruleset_version"], api[0]["rules_current"]) == ("2024.1", False)
    detail = contributor.api("GET", f"/api/v1/ai-systems/{scoring.pk}").json()
    assert detail["classification"]["rules_current"] is False
    org = scoring.organisation.slug
    shown = CliRunner().invoke(app, ["systems", "show", "--organisation", org, "Credit scoring"])
    assert shown.exit_code == 0, shown.output
    assert f"rules {LATEST} are in use" in shown.output

    second = classification.classify_system(scoring, first.answers, actor=contributor.user)
    assert (second.ruleset.version, second.risk_class) == (LATEST, first.risk_class)
    assert "annex-iii-5" in second.legal_basis
    assert classification.newer_rules(second) is None
    page = contributor.client.get(reverse("inventory:system", args=[scoring.pk])).content.decode()
    assert 'id="older-rules"' not in page
    api = contributor.api("GET", f"/api/v1/ai-systems/{scoring.pk}/classifications").json()
    assert [(c["ruleset_version"], c["rules_current"]) for c in api] == [
        (LATEST, True),
        ("2024.1", False),
    ]
    first.refresh_from_db()
    assert (first.legal_basis, first.is_current) == (["art-6", "annex-iii-5"], False)


def test_demo_classifies_under_the_latest_rules_and_leaves_an_older_result_alone(demo_org):
    from aimwell.demo import load_demo

    system = AISystem.objects.get(organisation=demo_org, name="Consumer credit scoring")
    demo = system.classifications.get(is_current=True)
    assert demo.ruleset.version == LATEST
    # An organisation whose demo result was decided under older rules keeps it: loading the demo
    # again creates nothing and does not re-classify behind anyone's back.
    older = RuleSet.objects.get(key=classification.RULES_KEY, version="2024.1")
    kept = classification.classify_system(system, demo.answers, actor="t", rule_set=older)
    assert load_demo().created == []
    assert list(system.classifications.filter(is_current=True)) == [kept]
    assert system.classifications.count() == 2
