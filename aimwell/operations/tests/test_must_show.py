"""The behaviours issue 7 must show: the audit → nonconformity → corrective action → verification
→ closure loop, management-review inputs from the data, auditor independence, serious-incident
deadlines, and reminders reaching exactly the owners of what is due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from aimwell.core.models import AuditEvent
from aimwell.operations.choices import NCStatus
from aimwell.operations.errors import OperationsError
from aimwell.operations.models import Nonconformity, Notification
from aimwell.operations.services import audits, improvement, incidents, objectives, reviews
from aimwell.operations.services.reminders import send_reminders
from aimwell.operations.tests.factories import node, system

pytestmark = pytest.mark.usefixtures("catalog")
TODAY = dt.date(2026, 3, 2)


def _audit(org, auditor, **kw):
    values = {
        "actor": auditor.user,
        "title": "AI lifecycle audit",
        "scope": "Clause 8 and the credit-scoring system",
        "planned_start": TODAY,
        "planned_end": TODAY + dt.timedelta(days=3),
        "lead_auditor": auditor.user,
        "requirements": [node("8.1"), node("A.6.2.6")],
    }
    values.update(kw)
    return audits.create_audit(org, **values)


def test_the_loop_runs_and_nothing_closes_without_verified_effectiveness(
    org, internal_auditor, contributor, manager
):
    credit = system(org, owner=contributor.user)
    audit = _audit(org, internal_auditor, systems=[credit])
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


def test_an_auditor_who_owns_the_audited_process_is_refused(org, contributor, internal_auditor):
    # The contributor owns the AI lifecycle process; clause 8.1 belongs to it.
    with pytest.raises(OperationsError, match="owns the ai lifecycle process"):
        _audit(org, contributor)
    with pytest.raises(OperationsError, match="owns the ai lifecycle process"):
        _audit(
            org,
            internal_auditor,
            lead_auditor=contributor.user,
            requirements=[],
            processes=["ai_lifecycle"],
        )


def test_an_auditor_who_owns_a_sampled_system_is_refused(org, manager, internal_auditor):
    owned = system(org, name="Fraud detection", owner=manager.user)
    with pytest.raises(OperationsError, match="owns the AI system “Fraud detection”"):
        _audit(org, manager, requirements=[node("9.1")], systems=[owned])
    audit = _audit(org, internal_auditor, requirements=[node("9.1")], systems=[owned])
    with pytest.raises(OperationsError, match="owns the AI system"):
        audits.update_audit(audit, actor=manager.user, lead_auditor=manager.user)
    audit.refresh_from_db()
    assert audit.lead_auditor == internal_auditor.user


def test_sampling_leaves_out_systems_the_auditor_owns(org, manager, internal_auditor):
    for i in range(4):
        system(org, name=f"System {i}", owner=internal_auditor.user if i == 0 else manager.user)
    audit = _audit(org, internal_auditor, requirements=[node("9.1")])
    chosen = audits.sample_systems(audit, actor=internal_auditor.user, size=10, seed=7)
    assert sorted(s.name for s in chosen) == ["System 1", "System 2", "System 3"]
    again = _audit(org, internal_auditor, title="Repeat", requirements=[node("9.1")])
    assert audits.sample_systems(again, actor=internal_auditor.user, size=2, seed=7) == (
        audits.sample_systems(audit, actor=internal_auditor.user, size=2, seed=7)
    )


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        ("death", 10),
        ("critical_infrastructure", 2),
        ("widespread", 2),
        ("health", 15),
        ("fundamental_rights", 15),
    ],
)
def test_serious_incident_deadlines(org, manager, kind, days):
    aware = dt.date(2026, 5, 4)
    incident = incidents.record_incident(
        org,
        actor=manager.user,
        title="Harm",
        description="d",
        severity="critical",
        is_serious=True,
        serious_kind=kind,
        aware_on=aware,
        owner=manager.user,
    )
    assert incident.report_deadline == aware + dt.timedelta(days=days)
    assert incident.days_to_report(on=aware) == days
    assert Notification.objects.filter(user=manager.user, kind="incident.serious").count() == 1


def test_changing_the_kind_recomputes_the_deadline_and_closing_needs_the_report(org, manager):
    incident = incidents.record_incident(
        org, actor=manager.user, title="Outage", description="d", severity="high"
    )
    assert incident.report_deadline is None
    incidents.update_incident(
        incident,
        actor=manager.user,
        is_serious=True,
        serious_kind="death",
        aware_on=dt.date(2026, 1, 1),
    )
    assert incident.report_deadline == dt.date(2026, 1, 11)
    incidents.update_incident(incident, actor=manager.user, serious_kind="critical_infrastructure")
    assert incident.report_deadline == dt.date(2026, 1, 3)
    with pytest.raises(OperationsError, match="report to the authority"):
        incidents.update_incident(incident, actor=manager.user, status="closed")
    incidents.record_authority_report(
        incident, actor=manager.user, reported_on=dt.date(2026, 1, 2), authority="BaFin"
    )
    incidents.update_incident(incident, actor=manager.user, status="closed")
    assert incident.status == "closed" and incident.days_to_report() is None


def test_management_review_inputs_are_prefilled_from_the_data(
    org, manager, contributor, internal_auditor
):
    from aimwell.context.services import context as ctx

    ctx.create_issue(org, title="AI Act", kind="external", category="legal", actor="t")
    ctx.create_party(org, name="Borrowers", kind="external", category="customers", actor="t")
    audit = _audit(org, internal_auditor, requirements=[node("9.1")])
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


def test_reminders_notify_exactly_the_owners_of_items_due_or_overdue(
    org, manager, contributor, internal_auditor, staff, admin
):
    day = dt.date(2026, 4, 10)
    overdue_nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Late",
        description="d",
        source="other",
        owner=contributor.user,
        due_date=day - dt.timedelta(days=3),
    )
    improvement.raise_nonconformity(  # not due yet: its owner hears nothing
        org,
        actor=manager.user,
        title="Later",
        description="d",
        source="other",
        owner=staff.user,
        due_date=day + dt.timedelta(days=1),
    )
    review = reviews.plan_review(
        org, actor=manager.user, title="Q2", planned_on=day, chair=manager.user
    )
    improvement.add_review_action(
        review, actor=manager.user, title="Due today", owner=internal_auditor.user, due_date=day
    )
    done = improvement.add_review_action(
        review, actor=manager.user, title="Done already", owner=admin.user, due_date=day
    )
    improvement.complete_action(done, actor=admin.user)
    Notification.objects.all().delete()

    report = send_reminders(day, organisation=org)

    assert report.notified_user_ids == {
        contributor.user.pk,  # overdue nonconformity
        manager.user.pk,  # review planned for today
        internal_auditor.user.pk,  # action due today
    }
    titles = set(Notification.objects.values_list("title", flat=True))
    assert f"Nonconformity {overdue_nc.reference}: Late (overdue by 3 day(s), 07 Apr 2026)" in (
        titles
    )
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {
        contributor.user.email,
        manager.user.email,
        internal_auditor.user.email,
    }
    again = send_reminders(day, organisation=org)
    assert again.notifications == [] and len(mail.outbox) == 3
    next_day = send_reminders(day + dt.timedelta(days=1), organisation=org)
    assert staff.user.pk in next_day.notified_user_ids


def test_the_daily_task_wraps_send_reminders_and_queues_the_next_run(org, manager, contributor):
    from django_tasks_db.models import DBTaskResult

    from aimwell.operations import tasks

    improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Late",
        description="d",
        source="other",
        owner=contributor.user,
        due_date=dt.date(2026, 4, 1),
    )
    result = tasks.daily_reminders.call(on_date="2026-04-02")
    assert result["notifications"] == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert tasks.schedule() is None  # already queued: nothing added
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    noon = dt.datetime(2026, 4, 2, 12, 0, tzinfo=dt.UTC)
    assert tasks.next_run(noon) == dt.datetime(2026, 4, 3, 6, 0, tzinfo=dt.UTC)


def test_open_nonconformities_training_and_audits_feed_readiness(org, manager, contributor):
    from aimwell.controls import hooks
    from aimwell.operations.services import training

    nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Gap",
        description="d",
        source="other",
        requirement=node("9.1"),
    )
    labels = [n.label for n in hooks.open_nonconformities(org)]
    assert f"{nc.reference} Gap (minor)" in labels
    training.install_library(org, actor="t")
    progress = hooks.stage_progress(4, org)
    assert progress is not None and progress.percent == 0
    assert hooks.stage_progress(6, org) is None  # no audit yet: readiness uses its own view
    audit = audits.create_audit(
        org,
        actor="t",
        title="Monitoring",
        scope="9.1",
        planned_start=TODAY,
        planned_end=TODAY,
        lead_auditor=manager.user,
        requirements=[node("9.1")],
    )
    audits.start_audit(audit, actor="t")
    for item in audit.checklist.all():
        audits.assess(item, actor="t", result="conforming")
    audits.issue_report(audit, actor="t", conclusion="Fine")
    audit_stage = hooks.stage_progress(6, org)
    assert audit_stage is not None and audit_stage.percent > 0
