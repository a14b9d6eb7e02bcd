"""The demo organisation's AI incidents and concerns (additive and idempotent, run by `aimwell
demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern, Incident
from aimwell.operations.demo import CREDIT_OWNER, MANAGER, STAFF, ai_system, people


def _incidents(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    users = people()
    if len(users) < 6:
        return
    today = timezone.localdate()
    now = timezone.now()
    title = "CV screening ranked applicants over 50 systematically lower"
    if not Incident.objects.filter(organisation=org, title=title).exists():
        screening = ai_system(org, "CV screening")
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
        assistant = ai_system(org, "Customer support assistant")
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
    users = people()
    if len(users) < 6 or Concern.objects.filter(organisation=org).exists():
        return
    today = timezone.localdate()
    screening = ai_system(org, "CV screening")
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
        system=ai_system(org, "Consumer credit scoring"),
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


STEPS = [_incidents, _concerns]
