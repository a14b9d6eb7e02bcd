"""From the AIMS's domain events to webhook deliveries.

The other apps know nothing of webhooks: the audit trail announces every audited write after
commit (`aimwell.core.events`) and the reminders announce due items. Here each event is sorted
into the webhook event types an endpoint can subscribe to, turned into one JSON document, and
queued once per subscribed endpoint of the event's organisation."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from aimwell.core.audit import current_object_type
from aimwell.core.events import DomainEvent
from aimwell.integrations.models import EventType

ART73_FIELDS = {
    "is_serious",
    "serious_kind",
    "aware_on",
    "report_deadline",
    "authority_reported_on",
}
FINDING_ACTIONS = {"audit.finding_added", "certification.finding_recorded"}
ACCEPTANCE_ACTIONS = {"risk.residual_accepted"}
# Where the receiver can look at the object (page routes taking its id).
OBJECT_PAGES = {
    "incidents.incident": "incidents:incident",
    "monitoring.monitorrun": "monitoring:run",
    "documents.document": "documents:detail",
}


def event_types_of(event: DomainEvent) -> list[str]:
    """The webhook event types this domain event is delivered as (usually none)."""
    action = event.action
    changes = event.changes or {}
    types: list[str] = []
    if action.endswith(".due"):
        types.append(EventType.ITEM_DUE)
        if action == "incident.due":
            types.append(EventType.INCIDENT_ART73)
    elif action == "monitor_run.succeeded":
        breaches = changes.get("breaches") or [0, 0]
        if breaches[-1]:
            types.append(EventType.MONITOR_BREACH)
    elif action == "incident.recorded":
        types.append(EventType.INCIDENT_OPENED)
        if (changes.get("is_serious") or [None, False])[-1]:
            types.append(EventType.INCIDENT_ART73)
    elif action == "incident.reported_to_authority" or (
        action == "incident.updated" and ART73_FIELDS & set(changes)
    ):
        types.append(EventType.INCIDENT_ART73)
    elif action in FINDING_ACTIONS:
        types.append(EventType.FINDING_RECORDED)
    elif action.endswith(".approved") or action in ACCEPTANCE_ACTIONS:
        types.append(EventType.APPROVAL)
    return types


def _link(path: str) -> str:
    if not path:
        return ""
    base = getattr(settings, "AIMWELL_BASE_URL", "").rstrip("/")
    return f"{base}{path}" if base and path.startswith("/") else path


def _page(event: DomainEvent) -> str:
    if event.action.endswith(".due"):
        return _link(str((event.changes or {}).get("url", "")))
    name = OBJECT_PAGES.get(current_object_type(event.object_type))
    if name is None:
        return ""
    try:
        return _link(reverse(name, args=[event.object_id]))
    except NoReverseMatch:
        return ""


def _art73_clock(incident_id: str) -> dict[str, Any] | None:
    from aimwell.incidents.models import Incident

    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return None
    return {
        "reference": incident.reference,
        "serious": incident.is_serious,
        "serious_kind": incident.serious_kind,
        "aware_on": incident.aware_on,
        "report_deadline": incident.report_deadline,
        "days_left": incident.days_to_report(),
        "authority": incident.authority,
        "reported_on": incident.authority_reported_on,
        "status": incident.status,
        "severity": incident.severity,
    }


def _extra(event: DomainEvent, types: list[str]) -> dict[str, Any]:
    if current_object_type(event.object_type) == "incidents.incident" or (
        event.action == "incident.due" and event.object_id
    ):
        clock = _art73_clock(event.object_id)
        return {"incident": clock} if clock else {}
    if EventType.MONITOR_BREACH in types:
        from aimwell.monitoring.models import MonitorRun

        run = (
            MonitorRun.objects.select_related("monitor", "monitor__system")
            .filter(pk=event.object_id)
            .first()
        )
        if run is not None:
            return {
                "monitor": {
                    "name": run.monitor.name,
                    "system": run.monitor.system.name,
                    "run": run.number,
                    "breaches": run.breaches,
                }
            }
    return {}


def document(event: DomainEvent, event_type: str, event_id: uuid.UUID) -> str:
    """The JSON body of one delivery: stable keys, the object, what changed, and context."""
    types = event_types_of(event)
    body = {
        "id": str(event_id),
        "type": event_type,
        "created_at": timezone.now(),
        "organisation_id": str(event.organisation_id),
        "data": {
            "action": event.action,
            "occurred_at": event.occurred_at,
            "actor": event.actor_label,
            "object": {
                "type": event.object_type,
                "id": event.object_id,
                "label": event.object_repr,
                "url": _page(event),
            },
            "changes": dict(event.changes or {}),
            **_extra(event, types),
        },
    }
    return json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)


def on_domain_events(batch: list[DomainEvent]) -> None:
    """The listener registered with `aimwell.core.events`: queue deliveries after commit."""
    from aimwell.integrations.services import delivery

    wanted = [(event, types) for event in batch if (types := event_types_of(event))]
    if wanted:
        delivery.queue_events(wanted)
