"""The risks API, method versions that never rescore silently, needs review in the API, and
evidence links to risks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.impact_assessments import services as impact
from aimwell.impact_assessments.errors import ImpactError
from aimwell.inventory import services as inventory
from aimwell.risks.errors import RiskError
from aimwell.risks.services import method, register, treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_new_method_version_never_rescores_old_risks(catalog, org, manager):
    first = f.method(org)
    risk = f.risk(org, likelihood=3, rating=3)
    assert risk.inherent_level == 9
    # Version 2: a steeper matrix (level = product + 2, capped at 25).
    steeper = [[min(25, (r + 1) * (c + 1) + 2) for c in range(5)] for r in range(5)]
    second = method.publish_method(org, actor="t", matrix=steeper, change_note="steeper")
    risk.refresh_from_db()
    assert (risk.method_id, risk.inherent_level) == (first.pk, 9)
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.version == 2
    register.reassess(risk, actor="t", likelihood=3, consequences={"individuals": {"rating": 3}})
    risk.refresh_from_db()
    assert (risk.method_id, risk.inherent_level) == (second.pk, 11)
    history = list(risk.assessments.order_by("created_at").values_list("method__version", "level"))
    assert history == [(1, 9), (2, 11)]


def test_method_validation_refuses_a_falling_matrix(catalog, org):
    bad = [[1, 2], [1, 1]]
    scale = [{"value": 1, "label": "a"}, {"value": 2, "label": "b"}]
    with pytest.raises(RiskError, match="cannot fall"):
        method.publish_method(
            org,
            actor="t",
            likelihood_scale=scale,
            consequence_scale=scale,
            matrix=bad,
            bands=[{"name": "Low", "min": 1, "colour": "#ffffff"}],
            acceptance_threshold=1,
        )


def test_api_creates_and_reads_a_risk_with_history(catalog, org, manager):
    f.method(org)
    created = manager.api(
        "POST",
        "/api/v1/risks",
        {
            "title": "Prompt injection in the assistant",
            "risk_source": "C.3.7",
            "objective": "C.2.10",
            "likelihood": 3,
            "consequences": {"individuals": {"rating": 4}, "organisation": {"rating": 2}},
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["inherent_level"] == 12 and body["inherent_band"] == "High"
    assert body["source"].startswith("C.3.7") and body["method_version"] == 1
    assert body["history"][0]["kind"] == "inherent"
    bad = manager.api(
        "POST",
        "/api/v1/risks",
        {"title": "x", "risk_source": "C.9.9", "likelihood": 3, "consequences": {}},
    )
    assert bad.status_code == 400 and "C.9.9" in bad.json()["message"]
    heat = manager.api("GET", "/api/v1/risks/heatmap").json()
    assert sum(c["count"] for c in heat["cells"]) == 1


def test_api_refuses_acceptance_without_authority_with_the_reason(catalog, org, admin, manager):
    risk = f.risk(org)
    treatment.set_treatment(risk, actor="t", option="modify")
    treatment.assess_residual(risk, actor="t", likelihood=4, consequence=4)  # 16 > threshold 8
    refused = admin.api("POST", f"/api/v1/risks/{risk.pk}/accept", {"note": ""})
    assert refused.status_code == 403
    assert "no risk-acceptance authority" in refused.json()["message"]
    accepted = manager.api("POST", f"/api/v1/risks/{risk.pk}/accept", {"note": "board decision"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["accepted_level"] == 16


def test_api_shows_needs_review_after_a_new_model_version(catalog, org, manager):
    system, model = f.deployed_with_model(org)
    risk = f.risk(org, system=system)
    assessment = impact.create_assessment(org, actor="t", system=system)
    inventory.new_model_version(model, version="2", actor="t")
    body = manager.api("GET", f"/api/v1/risks/{risk.pk}").json()
    assert body["needs_review"] is True and "new model version" in body["review_flags"][0]["reason"]
    listing = manager.api("GET", "/api/v1/risks?needs_review=true").json()
    assert [r["reference"] for r in listing["items"]] == [risk.reference]
    ia = manager.api("GET", f"/api/v1/impact-assessments/{assessment.pk}").json()
    assert ia["needs_review"] is True
    page = manager.client.get(f"/impact-assessments/{assessment.pk}/").content.decode()
    assert "Needs review" in page


def test_the_dpia_field_links_the_gdpr_article_in_the_catalog(catalog, org, manager):
    system, _ = f.deployed_with_model(org)
    assessment = impact.create_assessment(org, actor="t", system=system)
    page = manager.client.get(f"/impact-assessments/{assessment.pk}/").content.decode()
    assert 'href="/catalog/n/gdpr:2016:art-35/"' in page
    article = manager.client.get("/catalog/n/gdpr:2016:art-35/").content.decode()
    assert "Data protection impact assessment" in article
    assert "iso42001:2023:A.5.2" in article  # the crosswalk pairs it with the AI impact process


def test_impact_assessment_for_a_deployed_high_risk_system_needs_art_27_fields(
    catalog, org, manager
):
    from aimwell.classification.models import Classification, RuleSet

    system = f.system(org, eu_role="deployer")
    rules = RuleSet.objects.first()
    if rules is None:
        from aimwell.classification.services import sync_rule_sets

        sync_rule_sets()
        rules = RuleSet.objects.first()
    Classification.objects.create(
        organisation=org,
        system=system,
        ruleset=rules,
        answers={},
        risk_class="high_risk",
        operator_role="deployer",
        decided_by_label="t",
    )
    area = {"description": "d", "severity": 2, "likelihood": 2}
    from aimwell.impact_assessments.choices import FRIA_KEYS, IMPACT_AREA_KEYS

    assessment = impact.create_assessment(
        org,
        actor="t",
        system=system,
        affected_individuals="Applicants",
        dpia_required=True,
        dpia_reference="DPIA-7",
        impacts=dict.fromkeys(IMPACT_AREA_KEYS, area),
    )
    assert assessment.fria_required
    with pytest.raises(ImpactError, match="fundamental-rights"):
        impact.approve(assessment, actor=manager.user, membership=manager.membership)
    impact.update_assessment(assessment, actor="t", fria=dict.fromkeys(FRIA_KEYS, "answered"))
    impact.approve(assessment, actor=manager.user, membership=manager.membership)
    assert assessment.status == "approved"
    impact.update_assessment(assessment, actor="t", societal_reach="wider now")
    assert assessment.status == "draft"


def test_evidence_can_link_to_risks_and_impact_assessments(catalog, org):
    from aimwell.evidence import links

    risk = f.risk(org)
    target, obj = links.resolve("risks.risk", risk.pk, org)
    assert obj == risk and target.title == "Risk"
    assert "controls.soaentry" in links.registered()


@pytest.mark.parametrize("url", ["/api/v1/risks", "/api/v1/impact-assessments"])
def test_risk_endpoints_query_count_is_flat(catalog, org, manager, url):
    system = f.system(org)
    f.risk(org, system=system)
    impact.create_assessment(org, actor="t", system=system)
    manager.api("GET", url)
    # A write after the first request: the register's count is kept until one, and both
    # measures below are of a computation afresh.
    f.risk(org, title="After the first request")
    with CaptureQueriesContext(connection) as few:
        manager.api("GET", url)
    for i in range(5):
        other = f.system(org, name=f"Other {i}")
        f.risk(org, title=f"Other {i}", system=other)
        impact.create_assessment(org, actor="t", system=other)
    with CaptureQueriesContext(connection) as many:
        manager.api("GET", url)
    assert len(many) == len(few)
