"""The readiness formula is pinned: each input moves the score by its documented weight; the
baseline is shown beside today's state; overrides and nonconformities count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from aimwell.controls import hooks, readiness, services
from aimwell.controls.soa import annex_a_controls
from aimwell.impact_assessments import services as impact
from aimwell.risks.services import register
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def test_weights_sum_to_100_and_score_is_their_weighted_sum(catalog, org):
    assert sum(readiness.WEIGHTS.values()) == 100
    report = readiness.compute(org)
    assert report.score == round(report.exact, 1)
    assert [c.key for c in report.components] == list(readiness.WEIGHTS)


def _publish(org, manager, admin, ref: str):
    from aimwell.documents import services as documents

    doc = documents.create_document(
        org,
        title=f"Document for {ref}",
        doc_type="procedure",
        actor=manager.user,
        requirement_urns=[f"iso42001:2023:{ref}"],
        body="text",
    )
    version = doc.working_version
    documents.submit_for_review(version, actor=admin.user)
    documents.approve(version, membership=manager.membership, actor=manager.user)
    documents.publish(version, actor=manager.user)
    doc.refresh_from_db()
    return doc


def test_a_missing_mandatory_document_costs_30_over_the_number_required(
    catalog, org, manager, admin
):
    from aimwell.documents.models import Document

    doc = _publish(org, manager, admin, "6.1.2")
    before = readiness.compute(org)
    required = _required_documents()
    Document.objects.filter(pk=doc.pk).update(next_review_date=dt.date(2020, 1, 1))
    after = readiness.compute(org)
    # The review date now falls before the publication: the pre-audit check finds that minor
    # contradiction (half a point of part N) besides the document no longer counting in part D.
    assert before.exact - after.exact == pytest.approx(30 / required + 0.5)


def _required_documents() -> int:
    from aimwell.catalog.models import RequirementNode

    return RequirementNode.objects.filter(
        framework__urn="iso42001:2023",
        framework__organisation__isnull=True,
        documented_information=True,
        is_retired=False,
    ).count()


def test_a_stale_piece_of_evidence_costs_15_over_the_number_of_pieces(catalog, org, manager):
    from aimwell.evidence import services as evidence

    for i in range(2):
        evidence.add_link(org, title=f"Fresh {i}", url="https://x.example/a", actor=manager.user)
    before = readiness.compute(org)
    evidence.add_link(
        org,
        title="Old test report",
        url="https://x.example/old",
        actor=manager.user,
        effective_date=timezone.localdate() - dt.timedelta(days=400),
        validity_days=30,
    )
    after = readiness.compute(org)
    assert before.exact - after.exact == pytest.approx(15 / 3)


def test_an_unjustified_exclusion_costs_25_over_the_number_of_controls(catalog, org):
    node = f.node("A.10.4")
    services.decide(org, actor="t", node=node, applicable=False, justification="No customers")
    before = readiness.compute(org)
    services.decide(org, actor="t", node=node, justification="")
    after = readiness.compute(org)
    controls = len(annex_a_controls())
    assert before.exact - after.exact == pytest.approx(25 / controls)
    item_flags = [i for i in after.gaps if i.ref == "A.10.4"]
    assert item_flags == []  # excluded controls are not readiness items


def test_an_overdue_assessment_costs_20_times_half_over_the_systems_in_scope(catalog, org, manager):
    system = f.system(org)
    risk = f.risk(org, system=system)
    complete = {"description": "d", "severity": 2, "likelihood": 2}
    from aimwell.impact_assessments.choices import IMPACT_AREA_KEYS

    assessment = impact.create_assessment(
        org,
        actor="t",
        system=system,
        dpia_required=False,
        affected_individuals="Applicants",
        impacts=dict.fromkeys(IMPACT_AREA_KEYS, complete),
    )
    impact.approve(assessment, actor=manager.user, membership=manager.membership)
    before = readiness.compute(org)
    assert before.components[2].share == 1.0
    register.update_risk(risk, actor="t", review_date=dt.date(2020, 1, 1))
    after = readiness.compute(org)
    assert before.exact - after.exact == pytest.approx(20 * 0.5 / 1)


def test_each_open_nonconformity_costs_two_points_and_marks_its_requirement(catalog, org):
    def provider(organisation):
        if organisation.pk == org.pk:
            return [hooks.OpenNonconformity("NC-1 no internal audit", ("iso42001:2023:10.2",))]
        return []

    before = readiness.compute(org)
    hooks.register_nonconformity_provider(provider)
    try:
        after = readiness.compute(org)
    finally:
        hooks.unregister_nonconformity_provider(provider)
    assert before.exact - after.exact == pytest.approx(2)
    item = next(i for i in after.requirements if i.ref == "10.2")
    assert any(c.label == "No open nonconformity" and c.result == 0 for c in item.checks)


def test_stage_providers_fill_stages_the_app_cannot_see(catalog, org):
    def progress(organisation):
        return hooks.StageProgress(40.0, "2 of 5 audits done")

    hooks.register_stage_provider(6, progress)
    try:
        stage = readiness.compute(org).stages[5]
    finally:
        hooks.unregister_stage_provider(6, progress)
    assert (stage.title, stage.percent, stage.detail) == (
        "Internal audit",
        40.0,
        "2 of 5 audits done",
    )


def test_baseline_is_shown_beside_todays_state_for_every_requirement(catalog, org, manager):
    nodes = services.baseline_nodes()
    for node in nodes:
        services.record_baseline(
            org, actor="t", node=node, maturity=1, practice=f"was {node.ref_id}"
        )
    report = readiness.compute(org)
    assert len(report.requirements) == 32
    for item in report.requirements:
        assert item.baseline is not None and item.baseline.practice == f"was {item.ref}"
        assert item.status in ("ready", "partial", "gap")
    page = manager.client.get(reverse("controls:readiness") + "?show=requirements").content.decode()
    for item in report.requirements:
        row = page.split(f'id="r-{item.ref}"', 1)[1].split("</tr>", 1)[0]
        assert "1/5" in row and f"was {item.ref}" in row and item.status in row
    data = report.as_dict()
    assert all(r["baseline_maturity"] == 1 and r["status"] for r in data["requirements"])


def test_override_replaces_the_computed_status_with_a_reason(catalog, org, manager):
    node = f.node("4.1")
    assert readiness.compute(org).requirements[0].status != "ready"
    services.set_override(org, actor="t", node=node, status="ready", reason="Workshop held")
    item = next(i for i in readiness.compute(org).requirements if i.ref == "4.1")
    assert item.status == "ready" and item.override.reason == "Workshop held"
    from aimwell.controls.errors import ControlsError

    with pytest.raises(ControlsError, match="reason"):
        services.set_override(org, actor="t", node=node, status="gap", reason=" ")
    services.set_override(org, actor="t", node=node, status=None)
    assert next(i for i in readiness.compute(org).requirements if i.ref == "4.1").override is None


def test_gaps_are_prioritised_by_impact_times_ease(catalog, org):
    gaps = readiness.compute(org).gaps
    priorities = [g.priority for g in gaps]
    assert priorities == sorted(priorities, reverse=True)


def test_snapshots_make_the_trend(catalog, org, manager):
    services.take_snapshot(org, actor=manager.user)
    trend = readiness.compute(org).trend
    assert len(trend) == 1 and trend[0]["score"] == readiness.compute(org).score


def test_readiness_query_count_does_not_grow_with_the_aims(catalog, org, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.risk(org, system=f.system(org))
    with CaptureQueriesContext(connection) as few:
        readiness.compute(org)
    for i in range(5):
        system = f.system(org, name=f"S{i}")
        f.risk(org, title=f"R{i}", system=system)
        impact.create_assessment(org, actor="t", system=system)
        services.decide(org, actor="t", node=annex_a_controls()[i], applicable=True)
    with CaptureQueriesContext(connection) as many:
        readiness.compute(org)
    assert len(many) == len(few)


def test_a_flagged_risk_makes_its_system_not_current(catalog, org, manager):
    from aimwell.inventory import services as inventory

    system, model = f.deployed_with_model(org)
    f.risk(org, system=system)
    before = readiness.compute(org)
    assert before.components[2].share == 0.5  # a current risk assessment, no impact assessment
    inventory.new_model_version(model, version="2", actor="t")  # flags the system's risk
    after = readiness.compute(org)
    assert after.components[2].share == 0.0
    assert after.components[2].explanation.startswith("0 of 1 AI systems in scope")


def test_the_kept_report_is_reused_until_a_write_and_then_recomputed(catalog, org, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    system = f.system(org)
    risk = f.risk(org, system=system)
    first = readiness.current(org)
    with CaptureQueriesContext(connection) as kept:
        again = readiness.current(org)
    assert len(kept) == 1  # the chain head's sequence number
    assert again.computed_at == first.computed_at and again.exact == first.exact
    register.update_risk(risk, actor="t", review_date=dt.date(2020, 1, 1))  # an audited write
    after = readiness.current(org)
    assert after.computed_at > first.computed_at
    # The system's only risk is now overdue for review: half of part A's 20 points are lost.
    assert first.exact - after.exact == pytest.approx(20 * 0.5 / 1)
    assert after.exact == pytest.approx(readiness.compute(org).exact)


def test_the_readiness_page_and_api_make_as_many_queries_with_more_systems_and_risks(
    catalog, org, manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    writes = iter(range(3))

    def counted() -> tuple[int, int]:
        f.system(org, name=f"bump {next(writes)}")  # a write: the page computes afresh
        with CaptureQueriesContext(connection) as page:
            response = manager.client.get(reverse("controls:readiness"))
        assert response.status_code == 200 and b"computed-at" in response.content
        with CaptureQueriesContext(connection) as api:
            assert manager.api("GET", "/api/v1/readiness").json()["computed_at"]
        return len(page), len(api)

    first = f.system(org)
    f.risk(org, system=first)
    impact.create_assessment(org, actor="t", system=first)
    counted()  # the first visit of the session also saves the session
    few = counted()
    for i in range(6):
        system = f.system(org, name=f"S{i}")
        for j in range(3):
            f.risk(org, title=f"R{i}.{j}", system=system)
        impact.create_assessment(org, actor="t", system=system)
    assert counted() == few
