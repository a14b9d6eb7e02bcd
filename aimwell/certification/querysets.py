"""Reads of the certification project with their joins, for pages, API and CLI."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from aimwell.certification.choices import NC_GRADES, RequestStatus
from aimwell.certification.models import (
    Engagement,
    EvidenceAsk,
    ExternalAudit,
    ExternalFinding,
)
from aimwell.certification.workspace import GUEST_REFUSED, GUEST_VIEWED
from aimwell.core.models import AuditEvent


def audits(project: Any) -> QuerySet[ExternalAudit]:
    """The cycle's audits with their finding counts (open majors and minors counted in SQL)."""
    open_nc = Q(findings__grade__in=NC_GRADES) & ~Q(findings__nonconformity__status="closed")
    return (
        ExternalAudit.objects.filter(project=project)
        .select_related("certificate")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_count=Count("findings", filter=open_nc, distinct=True),
        )
        .order_by("planned_start", "kind")
    )


def findings(audit: ExternalAudit) -> QuerySet[ExternalFinding]:
    return audit.findings.select_related("nonconformity", "requirement", "raised_by").order_by(
        "reference"
    )


def engagements(audit: ExternalAudit | None = None, organisation: Any = None) -> QuerySet[Any]:
    qs = Engagement.objects.select_related("membership__user", "audit")
    if audit is not None:
        qs = qs.filter(audit=audit)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-starts_at")


def workspace(engagement: Engagement) -> dict[str, Any]:
    return {
        "samples": list(engagement.samples.select_related("created_by")),
        "comments": list(engagement.comments.select_related("author")),
        "asks": list(
            engagement.asks.select_related("owner", "evidence", "requested_by", "answered_by")
        ),
        "findings": list(
            engagement.findings.select_related("nonconformity", "requirement", "raised_by")
        ),
    }


def asks_for(user: Any, organisation: Any) -> QuerySet[EvidenceAsk]:
    """Open evidence requests addressed to this member."""
    return (
        EvidenceAsk.objects.filter(organisation=organisation, owner_id=user.pk)
        .filter(status=RequestStatus.OPEN)
        .select_related("engagement__audit", "owner", "requested_by")
        .order_by("due_date")
    )


def open_asks(organisation: Any) -> QuerySet[EvidenceAsk]:
    return (
        EvidenceAsk.objects.filter(organisation=organisation, status=RequestStatus.OPEN)
        .select_related("engagement__audit", "owner", "requested_by")
        .order_by("due_date")
    )


@dataclass(frozen=True)
class GuestRequest:
    """One request of a guest as the managers read it: who, when, what was opened or sent."""

    occurred_at: dt.datetime
    actor_label: str
    refused: bool
    reading: bool  # GET or HEAD: a page or a record was opened, nothing was sent
    path: str


def guest_activity(organisation: Any, limit: int = 50) -> list[GuestRequest]:
    """What guests did and looked at, newest first (each event's recorded method and path)."""
    events = AuditEvent.objects.filter(
        organisation=organisation, action__in=[GUEST_VIEWED, GUEST_REFUSED]
    ).order_by("-seq")[:limit]
    found = []
    for event in events:
        try:
            request = json.loads(event.changes)
        except ValueError:
            request = {}
        if not isinstance(request, dict):
            request = {}
        found.append(
            GuestRequest(
                occurred_at=event.occurred_at,
                actor_label=event.actor_label,
                refused=event.action == GUEST_REFUSED,
                reading=request.get("method") in ("GET", "HEAD"),
                path=str(request.get("path", "")),
            )
        )
    return found


def overdue(asks: list[EvidenceAsk]) -> int:
    today = timezone.localdate()
    return sum(1 for a in asks if a.status == RequestStatus.OPEN and a.due_date < today)
