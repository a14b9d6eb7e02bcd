"""The improvement loop: audit finding, nonconformity, correction, root cause, corrective action,
verification of effectiveness, closure; nothing closes without effectiveness verified."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.core.models import AuditEvent
from aimwell.improvement import services as improvement
from aimwell.improvement.choices import NCStatus
from aimwell.improvement.models import Nonconformity
from aimwell.internal_audit import services as audits
from aimwell.operations.errors import OperationsError
from aimwell.operations.tests.factories import TODAY, node, planned_audit, system

pytestmark = pytest.mark.usefixtures("catalog")


def test_the_loop_runs_and_nothing_closes_without_verified_effectiveness(
    org, internal_auditor, contributor, manager
):
    credit = system(org, owner=contributor.user)
    audit = planned_audit(org, internal_auditor, systems=[credit])
    assert audit.checklist.count() == len(node("8.1").audit_questions) + len(
        node("A.6.2.6").audit_questions
    )
    audits.start_audit(audit, actor=internal_auditor.user)
    finding = audits.add_finding(
        audit,
        actor=internal_auditor.user,
        kind="major_nc",
        title="No monitoring of deployed credit model",
        description="No drift or performance monitoring since deployment.",
        requirement=node("A.6.2.6"),
        system=credit,
        evidence_reviewed="Monitoring dashboard, interview with the system owner",
    )
    nc = Nonconformity.objects.get(finding=finding)
    assert (nc.source, nc.severity, nc.owner) == ("audit", "major", contributor.user)
    assert nc.due_date == dt.date.today() + dt.timedelta(days=30)

    with pytest.raises(OperationsError, match="cannot be closed"):
        improvement.close_nonconformity(nc, actor=manager.user)
    improvement.record_correction(nc, actor=contributor.user, correction="Manual weekly check")
    with pytest.raises(OperationsError, match="root cause"):
        improvement.add_corrective_action(
            nc, actor=contributor.user, title="x", owner=contributor.user, due_date=None
        )
    improvement.record_root_cause(
        nc,
        actor=contributor.user,
        root_cause="Monitoring not in release checklist",
        method="5 whys",
    )
    action = improvement.add_corrective_action(
        nc,
        actor=contributor.user,
        title="Add drift monitoring to the release checklist",
        owner=contributor.user,
        due_date=TODAY + dt.timedelta(days=20),
    )
    assert nc.status == NCStatus.ACTION
    with pytest.raises(OperationsError, match="every corrective action is done"):
        improvement.verify_effectiveness(
            nc, actor=internal_auditor.user, result="effective", notes="checked"
        )
    improvement.complete_action(action, actor=contributor.user, note="Checklist updated")
    nc.refresh_from_db()
    assert nc.status == NCStatus.VERIFICATION
    with pytest.raises(OperationsError, match="cannot be closed"):
        improvement.close_nonconformity(nc, actor=manager.user)
    with pytest.raises(OperationsError, match=r"owner .* cannot verify"):
        improvement.verify_effectiveness(
            nc, actor=contributor.user, result="effective", notes="I think it works"
        )
    improvement.verify_effectiveness(
        nc, actor=internal_auditor.user, result="effective", notes="Three releases checked"
    )
    improvement.close_nonconformity(nc, actor=manager.user)
    nc.refresh_from_db()
    assert nc.status == NCStatus.CLOSED and nc.closed_on is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(nc.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[0] == "nonconformity.raised" and actions[-1] == "nonconformity.closed"
    assert "nonconformity.verified" in actions


def test_not_effective_sends_the_nonconformity_back_for_more_action(
    org, internal_auditor, contributor, manager
):
    nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Stale model card",
        description="d",
        source="monitoring",
        owner=contributor.user,
    )
    improvement.record_correction(nc, actor=contributor.user, correction="Updated card")
    improvement.record_root_cause(nc, actor=contributor.user, root_cause="No owner for cards")
    first = improvement.add_corrective_action(
        nc, actor=manager.user, title="Name owners", owner=contributor.user, due_date=None
    )
    improvement.complete_action(first, actor=contributor.user)
    improvement.verify_effectiveness(
        nc, actor=internal_auditor.user, result="not_effective", notes="Two cards stale again"
    )
    assert nc.status == NCStatus.ACTION
    with pytest.raises(OperationsError, match="cannot be closed"):
        improvement.close_nonconformity(nc, actor=manager.user)
    second = improvement.add_corrective_action(
        nc, actor=manager.user, title="Automate card checks", owner=contributor.user, due_date=None
    )
    assert nc.verification_result == ""
    improvement.complete_action(second, actor=contributor.user)
    improvement.verify_effectiveness(
        nc, actor=internal_auditor.user, result="effective", notes="No stale card in 2 months"
    )
    improvement.close_nonconformity(nc, actor=manager.user)
    assert nc.status == NCStatus.CLOSED
