"""Issue 15's list of what an auditor found in the old demo, rebuilt in a test organisation the
way the old loader built it: the pre-audit check finds every item."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aimwell.classification.services import classify_system
from aimwell.competence import services as training
from aimwell.competence.models import Course
from aimwell.consistency import engine
from aimwell.consistency.tests.builders import HIGH_RISK_ANSWERS, days, system
from aimwell.context.services import context as context_services
from aimwell.controls import services as controls
from aimwell.controls.models import ReadinessSnapshot
from aimwell.documents.querysets import checklist
from aimwell.improvement import services as improvement
from aimwell.incidents import services as incidents
from aimwell.internal_audit import services as audits
from aimwell.management_review import services as reviews
from aimwell.objectives import services as objectives
from aimwell.risks.tests.factories import node


def test_every_item_of_the_why_list_is_found(org, manager, internal_auditor, staff, catalog):
    credit = system(org, owner=manager.user, eu_role="provider")
    classify_system(credit, HIGH_RISK_ANSWERS, actor=manager.user, role="provider")
    screening = system(org, name="CV screening", owner=manager.user)

    # A management review held before the records it discusses, inputs gathered at 0.
    review = reviews.plan_review(
        org, actor=manager.user, title="H1", planned_on=days(-10), chair=manager.user
    )
    reviews.gather_inputs(review, actor=manager.user)
    reviews.hold_review(
        review,
        actor=manager.user,
        held_on=days(-10),
        minutes="Reviewed objectives and the concerns received.",
        conclusions="Suitable.",
    )
    incidents.report_concern(
        org, reporter=staff.user, category="bias", description="d", received_on=days(-20)
    )

    # A nonconformity raised today by an audit finding, closed "17 days ago".
    programme = audits.create_programme(
        org,
        actor=manager.user,
        title="2026",
        cycle_start=days(-100),
        cycle_end=days(200),
        objectives="All",
        owner=internal_auditor.user,
    )
    audit = audits.create_audit(
        org,
        actor=manager.user,
        title="A",
        scope="s",
        programme=programme,
        planned_start=days(-75),
        planned_end=days(-72),
        lead_auditor=internal_auditor.user,
    )
    audits.start_audit(audit, actor=internal_auditor.user)
    finding = audits.add_finding(
        audit,
        actor=internal_auditor.user,
        kind="major_nc",
        title="Unmonitored",
        description="d",
        owner=manager.user,
    )
    nc = finding.nonconformity
    improvement.record_correction(nc, actor=manager.user, correction="c", done_on=days(-70))
    audits.issue_report(audit, actor=internal_auditor.user, conclusion="ok")

    # An incident "detected" (now) after the organisation became aware of it.
    incidents.record_incident(
        org,
        actor=manager.user,
        title="Age bias",
        description="d",
        severity="high",
        systems=[screening],
        is_serious=True,
        serious_kind="fundamental_rights",
        aware_on=days(-4),
    )

    # Approval-rate parity typed in as "monitoring" at 0.82 while an incident about it is open.
    parity = objectives.create_objective(
        org,
        actor=manager.user,
        title="Parity",
        measure="ratio",
        target=0.8,
        owner=manager.user,
        due_date=days(120),
        systems=[credit],
    )
    objectives.record_measurement(parity, actor=manager.user, value=0.82, source="monitoring")
    incidents.record_incident(
        org,
        actor=manager.user,
        title="Parity breach",
        description="d",
        severity="high",
        systems=[credit],
        detected_at=timezone.now() - dt.timedelta(days=1),
    )

    # The first readiness snapshot back-dated by an update outside the audit trail.
    first = controls.take_snapshot(org, actor="demo loader")
    ReadinessSnapshot.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(days=90)
    )

    # A.10.4 excluded while the organisation provides AI to a partner bank.
    context_services.set_ai_role(org, "ai_provider", actor=manager.user, note="White label.")
    controls.decide(
        org,
        actor=manager.user,
        node=node("A.10.4"),
        applicable=False,
        justification="We do not provide AI systems to customers.",
    )

    # Training scores typed in with source "quiz".
    training.install_library(org, actor=manager.user)
    course = Course.objects.get(organisation=org, key="responsible-ai")
    training.record_training(
        course, staff.user, actor=manager.user, completed_on=days(-40), score=75, source="quiz"
    )

    keys = {f.rule.key for f in engine.run(org).findings}
    assert {
        "review-inputs-vs-records",  # inputs show 0 while the period's records exist
        "review-minutes-vs-inputs",  # minutes say objectives and concerns were reviewed
        "nc-dates-out-of-order",  # closed before raised
        "incident-timeline",  # detected after aware
        "measurement-typed-as-monitoring",  # parity value not from a run
        "objective-on-track-with-open-incident",  # on track while the incident is open
        "readiness-snapshot-backdated",  # back-dated outside the audit trail
        "soa-customer-exclusion-vs-provider",  # A.10.4 vs the provider role
        "system-unclassified",  # CV screening in scope without classification
        "quiz-score-typed-in",  # scores typed in as quiz results
    } <= keys
    # Records held count as documented information: 9.2.2, 9.3.3 and 10.2 are not missing.
    states = {row.node.ref_id: row.state for row in checklist(org)}
    assert states["9.2.2"] == states["9.3.3"] == states["10.2"] == "held"
