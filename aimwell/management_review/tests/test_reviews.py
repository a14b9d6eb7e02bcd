"""Management reviews: inputs prefilled from the registers, chaired by top management, held with
conclusions."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.improvement import services as improvement
from aimwell.improvement.models import Nonconformity
from aimwell.incidents import services as incidents
from aimwell.internal_audit import services as audits
from aimwell.management_review import services as reviews
from aimwell.objectives import services as objectives
from aimwell.operations.errors import OperationsError
from aimwell.operations.tests.factories import TODAY, node, planned_audit

pytestmark = pytest.mark.usefixtures("catalog")


def test_management_review_inputs_are_prefilled_from_the_data(
    org, manager, contributor, internal_auditor
):
    from aimwell.context.services import context as ctx

    ctx.create_issue(org, title="AI Act", kind="external", category="legal", actor="t")
    ctx.create_party(org, name="Borrowers", kind="external", category="customers", actor="t")
    audit = planned_audit(org, internal_auditor, requirements=[node("9.1")])
    audits.start_audit(audit, actor=internal_auditor.user)
    for kind in ("major_nc", "minor_nc", "minor_nc", "ofi", "observation"):
        audits.add_finding(
            audit,
            actor=internal_auditor.user,
            kind=kind,
            title=kind,
            description="d",
            owner=contributor.user,
        )
    for item in audit.checklist.all():
        audits.assess(item, actor=internal_auditor.user, result="conforming")
    audits.issue_report(audit, actor=internal_auditor.user, conclusion="Mostly conforming")
    closed = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Old",
        description="d",
        source="incident",
        due_date=dt.date.today() - dt.timedelta(days=1),
    )
    Nonconformity.objects.filter(pk=closed.pk).update(status="closed", closed_on=dt.date.today())
    incidents.record_incident(
        org,
        actor=manager.user,
        title="Bias",
        description="d",
        severity="high",
        is_serious=True,
        serious_kind="fundamental_rights",
    )
    incidents.report_concern(org, reporter=contributor.user, category="bias", description="d")
    objective = objectives.create_objective(
        org,
        actor=manager.user,
        title="Fair approvals",
        measure="approval ratio",
        target=0.8,
        due_date=dt.date.today() + dt.timedelta(days=90),
    )
    objectives.record_measurement(objective, actor=manager.user, value=0.7)
    earlier = reviews.plan_review(
        org,
        actor=manager.user,
        title="2025 review",
        planned_on=dt.date(2025, 6, 1),
        chair=manager.user,
    )
    improvement.add_review_action(
        earlier,
        actor=manager.user,
        title="Hire auditor",
        owner=manager.user,
        due_date=dt.date(2025, 9, 1),
    )

    review = reviews.plan_review(
        org,
        actor=manager.user,
        title="2026 review",
        planned_on=dt.date.today(),
        chair=manager.user,
    )
    reviews.gather_inputs(review, actor=manager.user)
    i = review.inputs
    assert i["previous_actions"] == {"total": 1, "done": 0, "open": 1, "overdue": 1}
    assert i["context_changes"]["issues"]["added"] == 1
    assert i["context_changes"]["interested_parties"]["added"] == 1
    assert i["nonconformities"]["raised"] == 4
    assert i["nonconformities"]["open"] == 3 and i["nonconformities"]["closed"] == 1
    assert i["nonconformities"]["major_open"] == 1
    assert i["nonconformities"]["by_source"] == {"audit": 3, "incident": 1}
    assert i["audits"]["reported"] == 1
    assert i["audits"]["findings"] == {"major_nc": 1, "minor_nc": 2, "observation": 1, "ofi": 1}
    assert i["improvement"]["opportunities"] == 1
    assert i["objectives"]["total"] == 1 and i["objectives"]["at_risk"] == 1
    assert i["monitoring"]["measurements"] == 1
    assert i["incidents"] == {"recorded": 1, "serious": 1, "open": 1}
    assert i["feedback"] == {"concerns": 1, "concerns_open": 1}


def test_a_review_is_chaired_by_top_management_and_held_with_conclusions(org, manager, admin):
    with pytest.raises(OperationsError, match="Top management"):
        reviews.plan_review(org, actor=admin.user, title="R", planned_on=TODAY, chair=admin.user)
    review = reviews.plan_review(
        org, actor=admin.user, title="R", planned_on=TODAY, chair=manager.user
    )
    with pytest.raises(OperationsError, match="Gather the inputs"):
        reviews.hold_review(review, actor=manager.user, held_on=TODAY, minutes="m", conclusions="c")
    reviews.gather_inputs(review, actor=manager.user)
    reviews.hold_review(
        review, actor=manager.user, held_on=TODAY, minutes="m", conclusions="Suitable"
    )
    action = improvement.add_review_action(
        review, actor=manager.user, title="Fund monitoring", owner=admin.user, due_date=TODAY
    )
    assert action.kind == "review" and review.status == "held"
