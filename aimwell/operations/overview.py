"""The /operations/ overview: counts of every register, what is overdue, the deadlines ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aimwell.improvement.choices import ActionStatus, NCStatus
from aimwell.improvement.models import Action, Nonconformity
from aimwell.incidents.choices import ConcernStatus, IncidentStatus
from aimwell.incidents.models import Concern, Incident
from aimwell.internal_audit.choices import AuditStatus
from aimwell.internal_audit.models import Audit
from aimwell.management_review.choices import ReviewStatus
from aimwell.management_review.models import ManagementReview
from aimwell.objectives.choices import ObjectiveStatus
from aimwell.objectives.models import AIObjective


@dataclass
class Deadline:
    kind: str
    label: str
    due: dt.date
    url: str
    owner: str

    @property
    def days(self) -> int:
        return (self.due - timezone.localdate()).days


def overview(organisation: Any, today: dt.date | None = None, horizon: int = 30) -> dict[str, Any]:
    """Counts of every register, what is overdue, and the deadlines of the next `horizon` days."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=horizon)
    org = organisation
    ncs = Nonconformity.objects.filter(organisation=org)
    actions = Action.objects.filter(organisation=org, status=ActionStatus.OPEN)
    counts = {
        "audits_planned": Audit.objects.filter(
            organisation=org, status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS]
        ).count(),
        "audits_reported": Audit.objects.filter(
            organisation=org, status=AuditStatus.REPORTED
        ).count(),
        "nc_open": ncs.exclude(status=NCStatus.CLOSED).count(),
        "nc_major_open": ncs.exclude(status=NCStatus.CLOSED).filter(severity="major").count(),
        "nc_verification": ncs.filter(status=NCStatus.VERIFICATION).count(),
        "actions_open": actions.count(),
        "actions_overdue": actions.filter(due_date__lt=today).count(),
        "incidents_open": Incident.objects.filter(organisation=org)
        .exclude(status=IncidentStatus.CLOSED)
        .count(),
        "concerns_open": Concern.objects.filter(organisation=org)
        .exclude(status=ConcernStatus.CLOSED)
        .count(),
        "objectives_at_risk": AIObjective.objects.filter(
            organisation=org, status__in=[ObjectiveStatus.AT_RISK, ObjectiveStatus.MISSED]
        ).count(),
        "objectives": AIObjective.objects.filter(organisation=org)
        .exclude(status=ObjectiveStatus.RETIRED)
        .count(),
        "reviews_held": ManagementReview.objects.filter(
            organisation=org, status=ReviewStatus.HELD
        ).count(),
    }
    deadlines: list[Deadline] = []

    def email(user: Any) -> str:
        return user.email if user else "—"

    for nc in (
        ncs.exclude(status=NCStatus.CLOSED).filter(due_date__lte=until).select_related("owner")
    ):
        deadlines.append(
            Deadline(
                "Nonconformity", str(nc), nc.due_date, _url("nonconformities", nc), email(nc.owner)
            )
        )
    for a in actions.filter(due_date__lte=until).select_related("owner"):
        deadlines.append(
            Deadline("Action", a.title, a.due_date, _url("actions", a), email(a.owner))
        )
    for i in Incident.objects.filter(
        organisation=org,
        is_serious=True,
        authority_reported_on__isnull=True,
        report_deadline__lte=until,
    ).select_related("owner"):
        deadlines.append(
            Deadline(
                "Serious incident report",
                str(i),
                i.report_deadline,
                _url("incidents", i),
                email(i.owner),
            )
        )
    for r in ManagementReview.objects.filter(
        organisation=org, status=ReviewStatus.PLANNED, planned_on__lte=until
    ).select_related("chair"):
        deadlines.append(
            Deadline("Management review", r.title, r.planned_on, _url("reviews", r), email(r.chair))
        )
    for au in Audit.objects.filter(
        organisation=org, status=AuditStatus.PLANNED, planned_start__lte=until
    ).select_related("lead_auditor"):
        deadlines.append(
            Deadline("Audit", str(au), au.planned_start, _url("audits", au), email(au.lead_auditor))
        )
    for o in AIObjective.objects.filter(
        organisation=org,
        due_date__lte=until,
        status__in=[ObjectiveStatus.NOT_STARTED, ObjectiveStatus.ON_TRACK, ObjectiveStatus.AT_RISK],
    ).select_related("owner"):
        deadlines.append(
            Deadline("Objective", o.title, o.due_date, _url("objectives", o), email(o.owner))
        )
    deadlines.sort(key=lambda d: (d.due, d.kind))
    return {
        "counts": counts,
        "overdue": [d for d in deadlines if d.due < today],
        "upcoming": [d for d in deadlines if d.due >= today],
        "today": today,
    }


def _url(kind: str, obj: Any) -> str:
    return f"/operations/{kind}/{obj.pk}/"
