"""One test per Time rule: the contradiction, built through the services, gives exactly that
finding; the coherent version gives none."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aimwell.consistency.tests.builders import days, found
from aimwell.documents import services as documents
from aimwell.improvement import services as improvement
from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern
from aimwell.internal_audit import services as audits
from aimwell.internal_audit.models import Audit
from aimwell.objectives import services as objectives


def _nc(org, manager, raised_on):
    return improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Drift unmonitored",
        description="d",
        source="audit",
        raised_on=raised_on,
    )


def test_nc_corrected_before_raised(org, manager):
    coherent = _nc(org, manager, days(-5))
    improvement.record_correction(coherent, actor=manager.user, correction="c", done_on=days(-4))
    assert found(org, "nc-dates-out-of-order") == []
    nc = _nc(org, manager, days(0))
    improvement.record_correction(nc, actor=manager.user, correction="c", done_on=days(-19))
    assert found(org, "nc-dates-out-of-order") == [
        f"{nc.reference} was corrected on {days(-19)}, before it was raised on {days(0)}."
    ]


def test_action_completed_before_nc_raised(org, manager):
    nc = _nc(org, manager, days(0))
    improvement.record_root_cause(nc, actor=manager.user, method="Five whys", root_cause="r")
    fine = improvement.add_corrective_action(
        nc, actor=manager.user, title="Fine", owner=manager.user, due_date=days(5)
    )
    improvement.complete_action(fine, actor=manager.user, note="done", on=days(0))
    assert found(org, "action-done-before-nc") == []
    early = improvement.add_corrective_action(
        nc, actor=manager.user, title="Early", owner=manager.user, due_date=days(5)
    )
    improvement.complete_action(early, actor=manager.user, note="done", on=days(-3))
    assert found(org, "action-done-before-nc") == [
        f"Action “Early” of {nc.reference} was completed on {days(-3)}, before "
        f"{nc.reference} was raised on {days(0)}."
    ]


def test_incident_detected_after_aware(org, manager):
    now = timezone.now()
    incidents.record_incident(
        org,
        actor=manager.user,
        title="Coherent",
        description="d",
        severity="high",
        detected_at=now - dt.timedelta(days=5),
        is_serious=True,
        serious_kind="fundamental_rights",
        aware_on=days(-4),
    )
    assert found(org, "incident-timeline") == []
    bad = incidents.record_incident(
        org,
        actor=manager.user,
        title="Late detection",
        description="d",
        severity="high",
        is_serious=True,
        serious_kind="fundamental_rights",
        aware_on=days(-4),
    )
    assert found(org, "incident-timeline") == [
        f"{bad.reference} was detected on {days(0)}, after the organisation became aware of it "
        f"on {days(-4)}."
    ]


def test_audit_reported_before_it_started(org, manager, internal_auditor):
    audit = audits.create_audit(
        org,
        actor=manager.user,
        title="Audit",
        scope="s",
        planned_start=days(-10),
        planned_end=days(-8),
        lead_auditor=internal_auditor.user,
    )
    audits.start_audit(audit, actor=internal_auditor.user)
    audits.issue_report(audit, actor=internal_auditor.user, conclusion="ok", on=days(-8))
    assert found(org, "audit-dates-out-of-order") == []
    # A reported audit's dates no longer change through the services; imported or legacy rows
    # can still disagree.
    Audit.objects.filter(pk=audit.pk).update(planned_start=days(-6), planned_end=days(-5))
    assert found(org, "audit-dates-out-of-order") == [
        f"{audit.reference} was reported on {days(-8)}, before it started on {days(-6)}."
    ]


def test_concern_closed_before_received(org, manager, staff):
    concern, _ = incidents.report_concern(
        org, reporter=staff.user, category="bias", description="d", received_on=days(-3)
    )
    incidents.triage_concern(
        concern,
        actor=manager.user,
        status="closed",
        handler=manager.user,
        triage_notes="n",
        outcome="o",
    )
    assert found(org, "concern-closed-before-received") == []
    # No service dates a closure before receipt; imported or legacy rows can.
    Concern.objects.filter(pk=concern.pk).update(closed_on=days(-5))
    assert found(org, "concern-closed-before-received") == [
        f"{concern.reference} was closed on {days(-5)}, before it was received on {days(-3)}."
    ]


def _published(org, manager, admin):
    document = documents.create_from_template(org, "document-control", actor=admin.user)
    version = document.working_version
    documents.submit_for_review(version, actor=admin.user)
    documents.approve(version, membership=manager.membership, actor=manager.user, note="ok")
    documents.publish(version, actor=manager.user)
    document.refresh_from_db()
    return document


def test_document_due_for_review_before_publication(org, manager, admin, catalog):
    document = _published(org, manager, admin)
    assert found(org, "document-dates-out-of-order") == []
    documents.update_document(document, actor=manager.user, next_review_date=days(-21))
    assert found(org, "document-dates-out-of-order") == [
        f"{document.reference} is due for review on {days(-21)}, before v1 was published on "
        f"{days(0)}."
    ]


def test_measurement_dated_in_the_future(org, manager, catalog):
    objective = objectives.create_objective(
        org,
        actor=manager.user,
        title="Parity",
        measure="ratio",
        target=0.8,
        owner=manager.user,
        due_date=days(90),
    )
    objectives.record_measurement(objective, actor=manager.user, value=0.9, measured_on=days(0))
    assert found(org, "future-dated-record") == []
    objectives.record_measurement(objective, actor=manager.user, value=0.7, measured_on=days(3))
    assert found(org, "future-dated-record") == [
        f"The measurement Parity is dated {days(3)}, after today ({days(0)})."
    ]
