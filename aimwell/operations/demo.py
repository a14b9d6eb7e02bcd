"""Demo data: one full cycle at Meridian Lending. An internal audit of the AI life cycle with
findings; a major nonconformity corrected, acted on, verified effective and closed; a minor one
still open with an overdue action; a management review held with inputs from the data and
decisions turned into actions, and the next one planned; AI objectives with measurements; the
course library with training records (one expired); a serious incident with its reporting
countdown; an anonymous and a named concern. Idempotent: each part looks for itself by a stable
name first.

Coherent by construction (the pre-audit check passes on it): findings and nonconformities are
raised on the audit's last day and handled after it; incidents are detected before the
organisation becomes aware of them; quiz scores come from submitted quizzes; the parity
objective is measured by its monitor; the management review is held after the records it
discusses, with inputs gathered for its period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.accounts.models import User
from aimwell.catalog.models import RequirementNode
from aimwell.inventory.models import AISystem
from aimwell.operations.models import (
    AIObjective,
    Audit,
    AuditProgramme,
    Concern,
    Course,
    Incident,
    ManagementReview,
    TrainingRecord,
)
from aimwell.operations.services import (
    audits,
    improvement,
    incidents,
    objectives,
    reviews,
    training,
)
from aimwell.operations.services.reminders import send_reminders

AUDITOR = "internal.auditor@meridian.example"
CEO = "ceo@meridian.example"
MANAGER = "aims.manager@meridian.example"
CREDIT_OWNER = "credit.owner@meridian.example"
ENGINEER = "ml.engineer@meridian.example"
STAFF = "staff@meridian.example"
ACTOR = "demo loader"
AUDIT_TITLE = "AI life cycle and monitoring audit"


def _users() -> dict[str, User]:
    emails = [AUDITOR, CEO, MANAGER, CREDIT_OWNER, ENGINEER, STAFF]
    return {u.email: u for u in User.objects.filter(email__in=emails)}


def _node(ref: str) -> RequirementNode | None:
    return RequirementNode.objects.filter(
        framework__key="iso42001", framework__organisation__isnull=True, ref_id=ref
    ).first()


def _system(org: Any, name: str) -> AISystem | None:
    return AISystem.objects.filter(organisation=org, name=name).first()


def _audit_cycle(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = _users()
    if len(users) < 6 or Audit.objects.filter(organisation=org, title=AUDIT_TITLE).exists():
        return
    today = timezone.localdate()
    programme = AuditProgramme.objects.filter(organisation=org, title="AIMS audits 2026").first()
    if programme is None:
        programme = audits.create_programme(
            org,
            actor=users[MANAGER],
            title="AIMS audits 2026",
            cycle_start=dt.date(today.year, 1, 1),
            cycle_end=dt.date(today.year, 12, 31),
            objectives="Cover every clause and Annex A control once before the stage 2 audit.",
            owner=users[AUDITOR],
        )
        result.created.append("audit programme AIMS audits 2026")
    credit = _system(org, "Consumer credit scoring")
    nodes = [n for n in (_node(r) for r in ("8.1", "9.1", "A.6.2.6", "A.8.4")) if n]
    auditor = users[AUDITOR]
    audit = audits.create_audit(
        org,
        actor=users[MANAGER],
        title=AUDIT_TITLE,
        programme=programme,
        scope="Operational planning and control of AI systems, monitoring and measurement, "
        "and incident communication, sampled on the credit scoring system.",
        planned_start=today - dt.timedelta(days=75),
        planned_end=today - dt.timedelta(days=72),
        lead_auditor=auditor,
        requirements=nodes,
        systems=[credit] if credit else [],
    )
    audits.start_audit(audit, actor=auditor)
    reported_on = audit.planned_end  # findings and report dated on the audit's last day
    for index, item in enumerate(audit.checklist.select_related("requirement")):
        ref = item.requirement.ref_id if item.requirement else ""
        result_ = "nonconforming" if ref == "A.6.2.6" and index % 2 == 0 else "conforming"
        if ref == "A.8.4" and result_ == "conforming":
            result_ = "observation"
        audits.assess(
            item,
            actor=auditor,
            result=result_,
            notes="Sampled on the credit scoring system.",
            evidence_reviewed="Release records, monitoring dashboard, interview with the owner",
        )
    major = audits.add_finding(
        audit,
        actor=auditor,
        kind="major_nc",
        title="Deployed credit model not monitored for drift",
        description="No drift or performance monitoring ran on credit-gbm for four months after "
        "deployment; the monitoring plan exists but was never scheduled.",
        requirement=_node("A.6.2.6"),
        system=credit,
        evidence_reviewed="Monitoring job list, release checklist v3, interview with T. Ferreira",
        owner=users[CREDIT_OWNER],
        due_date=today - dt.timedelta(days=30),
        raised_on=reported_on,
    )
    minor = audits.add_finding(
        audit,
        actor=auditor,
        kind="minor_nc",
        title="Incident response procedure still in draft",
        description="The AI incident response procedure is in draft, so staff follow an "
        "unapproved process.",
        requirement=_node("A.8.4"),
        evidence_reviewed="Document register, DOC-incident-response",
        owner=users[MANAGER],
        due_date=today + dt.timedelta(days=20),
        raised_on=reported_on,
    )
    audits.add_finding(
        audit,
        actor=auditor,
        kind="observation",
        title="Monitoring thresholds not justified",
        description="Alert thresholds for fraud detection are set without a recorded rationale.",
        requirement=_node("9.1"),
    )
    audits.add_finding(
        audit,
        actor=auditor,
        kind="ofi",
        title="Automate model card updates",
        description="Model cards could be regenerated from the registry on each release.",
    )
    audits.issue_report(
        audit,
        actor=auditor,
        conclusion="The AI life cycle is planned and controlled, but monitoring of deployed "
        "models is not yet effective (one major nonconformity). Incident communication works "
        "in practice; its procedure must be approved.",
        on=reported_on,
    )
    result.created.append(f"audit {audit.reference} with 4 findings")

    nc = major.nonconformity
    owner = users[CREDIT_OWNER]
    improvement.record_correction(
        nc,
        actor=owner,
        correction="Drift and performance monitoring scheduled weekly for "
        "credit-gbm; a first run showed no material drift.",
        done_on=today - dt.timedelta(days=70),
    )
    improvement.record_root_cause(
        nc,
        actor=owner,
        method="Five whys",
        root_cause="The release checklist had no step to schedule monitoring, so it depended on "
        "memory.",
    )
    action = improvement.add_corrective_action(
        nc,
        actor=owner,
        title="Add 'schedule monitoring' to the release checklist",
        owner=owner,
        due_date=today - dt.timedelta(days=50),
    )
    improvement.complete_action(
        action,
        actor=owner,
        note="Checklist v4 published; applied to two releases.",
        on=today - dt.timedelta(days=52),
    )
    improvement.verify_effectiveness(
        nc,
        actor=auditor,
        result="effective",
        notes="Checked the three releases since: each had monitoring scheduled before go-live.",
        on=today - dt.timedelta(days=20),
    )
    improvement.close_nonconformity(nc, actor=users[MANAGER], on=today - dt.timedelta(days=19))
    result.created.append(f"nonconformity {nc.reference} closed after verification")

    minor_nc = minor.nonconformity
    improvement.record_correction(
        minor_nc,
        actor=users[MANAGER],
        correction="Staff told to follow the draft until approval.",
        done_on=reported_on + dt.timedelta(days=2),
    )
    improvement.record_root_cause(
        minor_nc,
        actor=users[MANAGER],
        method="Interview",
        root_cause="No owner was named for approving the procedure.",
    )
    improvement.add_corrective_action(
        minor_nc,
        actor=users[MANAGER],
        title="Approve and publish the incident procedure",
        owner=users[CEO],
        due_date=today - dt.timedelta(days=3),
    )


def _reviews(result: Any) -> None:
    """Held ten days ago, with its inputs gathered for its period (up to the day it was held),
    after the audit, objectives, incidents and concerns it discusses were recorded."""
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = _users()
    title = "Management review H1"
    if len(users) < 6 or ManagementReview.objects.filter(organisation=org, title=title).exists():
        return
    today = timezone.localdate()
    held_on = today - dt.timedelta(days=10)
    ceo = users[CEO]
    review = reviews.plan_review(
        org,
        actor=users[MANAGER],
        title=title,
        planned_on=held_on,
        chair=ceo,
        attendees="Jonas Lindqvist (CEO, chair), Priya Raman, Grace Mensah, Tomás Ferreira",
    )
    reviews.gather_inputs(review, actor=users[MANAGER], on=held_on)
    reviews.hold_review(
        review,
        actor=ceo,
        held_on=held_on,
        minutes="Reviewed the audit results, the closed monitoring nonconformity, the open "
        "incident procedure, the support-assistant incident, objectives and the concerns "
        "received.",
        conclusions="The AIMS is suitable and adequate; effectiveness improved with monitoring "
        "now scheduled at release. Incident handling needs its approved procedure.",
        decisions="Fund a second internal auditor; extend fairness monitoring to CV screening.",
    )
    improvement.add_review_action(
        review,
        actor=ceo,
        title="Recruit or train a second internal auditor",
        owner=users[MANAGER],
        due_date=today + dt.timedelta(days=60),
    )
    improvement.add_review_action(
        review,
        actor=ceo,
        title="Extend fairness monitoring to CV screening",
        owner=users[CREDIT_OWNER],
        due_date=today + dt.timedelta(days=25),
    )
    reviews.plan_review(
        org,
        actor=users[MANAGER],
        title="Management review H2",
        planned_on=today + dt.timedelta(days=20),
        chair=ceo,
    )
    result.created.append("management review H1 (held) and H2 (planned)")


PARITY = "Approval-rate parity in credit scoring"
TRAINED = "Members trained on responsible AI"


def _trained_share(org: Any, on: dt.date) -> float:
    """The share (%) of the organisation's members (external auditors aside) with a passed
    responsible-AI training valid on `on`: what the objective measures, computed from the
    training records."""
    from aimwell.accounts.models import Membership

    members = set(
        Membership.objects.active()
        .filter(organisation=org)
        .exclude(role="external_auditor")
        .values_list("user_id", flat=True)
    )
    trained = set(
        TrainingRecord.objects.filter(
            organisation=org,
            course__key="responsible-ai",
            passed=True,
            completed_on__lte=on,
            user_id__in=members,
        )
        .exclude(expires_on__lt=on)
        .values_list("user_id", flat=True)
    )
    return round(100 * len(trained) / len(members), 1) if members else 0.0


def _objectives(result: Any) -> None:
    """Four objectives. Approval-rate parity is measured by the credit-scoring monitor (its
    measure names the figure, so each run records its value and the status follows); the share
    of members trained is computed from the training records; the others are measured by hand."""
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = _users()
    if len(users) < 6:
        return
    today = timezone.localdate()
    credit = _system(org, "Consumer credit scoring")
    screening = _system(org, "CV screening")
    measured_on = today - dt.timedelta(days=5)
    specs: list[tuple[Any, ...]] = [
        (
            PARITY,
            "Lowest ratio of approval rates between groups of age band and sex, from each "
            "monthly monitoring run (monitor:dp_ratio_min)",
            "ratio",
            0.76,
            0.8,
            "at_least",
            "C.2.5",
            [credit],
            CREDIT_OWNER,
            [],
        ),
        (
            "Serious incidents reported on time",
            "Share of serious incidents reported to the authority within the Art. 73 deadline",
            "%",
            50,
            100,
            "at_least",
            "C.2.1",
            [],
            MANAGER,
            [(-60, 100, "No serious incident was due for report in the period.")],
        ),
        (
            TRAINED,
            "Share of members with a valid responsible-AI training record",
            "%",
            40,
            95,
            "at_least",
            "C.2.2",
            [],
            MANAGER,
            [(-5, _trained_share(org, measured_on), "Computed from the training records.")],
        ),
        (
            "Shortlist disparity in CV screening",
            "Largest gap in shortlisting rate between genders",
            "pp",
            9,
            3,
            "at_most",
            "C.2.5",
            [screening],
            CREDIT_OWNER,
            [(-20, 7.5, "Quarterly disparity analysis of the shortlist log by HR analytics.")],
        ),
    ]
    for title, measure, unit, baseline, target, direction, ref, systems, owner, points in specs:
        if AIObjective.objects.filter(organisation=org, title=title).exists():
            continue
        objective = objectives.create_objective(
            org,
            actor=users[MANAGER],
            title=title,
            measure=measure,
            unit=unit,
            baseline=baseline,
            target=target,
            direction=direction,
            owner=users[owner],
            due_date=today + dt.timedelta(days=120),
            annex_c=_node(ref),
            systems=[s for s in systems if s],
        )
        for days, value, note in points:
            objectives.record_measurement(
                objective,
                actor=users[owner],
                value=value,
                measured_on=today + dt.timedelta(days=days),
                source="manual",
                note=note,
            )
        result.created.append(f"objective {title}")


def _quiz_answers(course: Course, score: int) -> list[int | None]:
    """Answers to the course's quiz that score `score`% (the first questions right)."""
    quiz = course.quiz
    right = round(score * len(quiz) / 100)
    return [
        q["answer"] if i < right else (q["answer"] + 1) % len(q["options"])
        for i, q in enumerate(quiz)
    ]


def _training(result: Any) -> None:
    """Training records: quiz results come from quizzes the members submitted (scored by the
    quiz service); workshops a manager recorded are manual records without a score."""
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = _users()
    if len(users) < 6:
        return
    created = training.install_library(org, actor=users[MANAGER])
    if created:
        result.created.append(f"{len(created)} courses and competences")
    courses = {c.key: c for c in Course.objects.filter(organisation=org)}
    today = timezone.localdate()
    # email, course, days ago, quiz score (None: a workshop recorded by the manager)
    records: list[tuple[str, str, int, int | None]] = [
        (STAFF, "aims-foundations", -40, 100),
        (STAFF, "responsible-ai", -400, 75),  # expired: a gap and a reminder
        (CREDIT_OWNER, "aims-foundations", -100, None),
        (CREDIT_OWNER, "ai-system-ownership", -60, None),
        (CREDIT_OWNER, "responsible-ai", -50, 100),
        (ENGINEER, "responsible-ai", -45, 75),
        (CEO, "responsible-ai", -20, 100),
        (AUDITOR, "internal-auditing", -200, None),
        (AUDITOR, "aims-foundations", -200, 75),
        (MANAGER, "responsible-ai", -15, 100),
    ]
    for email, key, days, score in records:
        course = courses.get(key)
        if (
            course is None
            or TrainingRecord.objects.filter(course=course, user=users[email]).exists()
        ):
            continue
        on = today + dt.timedelta(days=days)
        if score is not None and course.quiz:
            training.submit_quiz(course, users[email], _quiz_answers(course, score), on=on)
        else:
            training.record_training(
                course,
                users[email],
                actor=users[MANAGER],
                completed_on=on,
                source="manual",
                note="Workshop attendance list kept by the AIMS manager.",
            )
        result.created.append(f"training record {email} {key}")


def _incidents(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = _users()
    if len(users) < 6:
        return
    today = timezone.localdate()
    now = timezone.now()
    title = "CV screening ranked applicants over 50 systematically lower"
    if not Incident.objects.filter(organisation=org, title=title).exists():
        screening = _system(org, "CV screening")
        incident = incidents.record_incident(
            org,
            actor=users[CREDIT_OWNER],
            title=title,
            description="A recruiter noticed that no applicant over 50 reached the shortlist in "
            "three months; analysis confirmed the ranker penalised long career histories.",
            severity="high",
            systems=[screening] if screening else [],
            owner=users[CREDIT_OWNER],
            harm="Applicants over 50 lost the chance of an interview (age discrimination).",
            detected_at=now - dt.timedelta(days=5),
            detection="Recruiter report, then a disparity analysis of the prediction log.",
            response="Ranker switched to advisory mode; all shortlists reviewed by a person.",
            is_serious=True,
            serious_kind="fundamental_rights",
            aware_on=today - dt.timedelta(days=4),
        )
        incidents.open_nonconformity_for_incident(
            incident, actor=users[MANAGER], due_date=today + dt.timedelta(days=45)
        )
        result.created.append(f"serious incident {incident.reference}")
    title = "Support assistant quoted an outdated repayment fee"
    if not Incident.objects.filter(organisation=org, title=title).exists():
        assistant = _system(org, "Customer support assistant")
        incident = incidents.record_incident(
            org,
            actor=users[MANAGER],
            title=title,
            description="The assistant quoted last year's early-repayment fee to 14 customers.",
            severity="medium",
            systems=[assistant] if assistant else [],
            owner=users[MANAGER],
            harm="Customers misinformed about a fee; no financial loss after correction.",
            detected_at=now - dt.timedelta(days=20),
            detection="Customer complaint.",
            response="Knowledge base updated; customers told.",
        )
        incidents.update_incident(
            incident,
            actor=users[MANAGER],
            status="closed",
            affected_informed_on=today - dt.timedelta(days=12),
            lessons="Fee tables are now synchronised into the assistant's knowledge base daily.",
        )
        result.created.append(f"incident {incident.reference}")


def _concerns(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = _users()
    if len(users) < 6 or Concern.objects.filter(organisation=org).exists():
        return
    today = timezone.localdate()
    screening = _system(org, "CV screening")
    incidents.report_concern(
        org,
        reporter=users[STAFF],
        category="bias",
        system=screening,
        anonymous=True,
        description="Colleagues in HR say the CV tool never shortlists older applicants.",
        received_on=today - dt.timedelta(days=25),
    )
    named, _ = incidents.report_concern(
        org,
        reporter=users[STAFF],
        category="transparency",
        system=_system(org, "Consumer credit scoring"),
        description="Customers ask why they were refused and our letters do not explain it.",
        received_on=today - dt.timedelta(days=18),
    )
    incidents.triage_concern(
        named,
        actor=users[MANAGER],
        status="closed",
        handler=users[MANAGER],
        triage_notes="Checked ten refusal letters: the reason codes are not in plain words.",
        outcome="Refusal letters now give the main reasons in plain language (from next month).",
    )
    result.created.append("two concerns (one anonymous)")


def _reminders(result: Any) -> None:
    from aimwell.demo import demo_organisation

    report = send_reminders(timezone.localdate(), organisation=demo_organisation(), email=False)
    if report.notifications:
        result.created.append(f"{len(report.notifications)} reminders")


STEPS = [_audit_cycle, _training, _objectives, _incidents, _concerns, _reviews, _reminders]
