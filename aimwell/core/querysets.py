"""Filtering the audit trail, shared by the page, the API and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from aimwell.core.audit import object_types
from aimwell.core.models import AuditEvent


def audit_events_for(
    organisation_id: Any,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(organisation_id=organisation_id)
    if object_type:
        qs = qs.filter(object_type__in=object_types(object_type))
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if since:
        qs = qs.filter(occurred_at__date__gte=since)
    if until:
        qs = qs.filter(occurred_at__date__lte=until)
    return qs.order_by("-seq")
