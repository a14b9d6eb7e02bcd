"""Domain events heard after commit, so an app can react to what others do without them importing
it (outbound webhooks are the first listener).

Every audited write already names what happened (`incident.recorded`, `document.approved`, …):
`record_events` announces its rows here, and work that is not audited (a reminder that an item is
due) calls `emit`. Listeners run only once the writing transaction has committed, so a rolled
back change never reaches anyone, and a failing listener is logged without undoing the write."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DomainEvent:
    """What happened to which object of which organisation."""

    organisation_id: uuid.UUID
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: dt.datetime = field(default_factory=timezone.now)
    actor_label: str = "system"


Listener = Callable[[list[DomainEvent]], None]
_LISTENERS: list[Listener] = []


def register_listener(listener: Listener) -> Listener:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def unregister_listener(listener: Listener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def _deliver(events: list[DomainEvent]) -> None:
    for listener in list(_LISTENERS):
        try:
            listener(events)
        except Exception:
            logger.exception("Event listener %r failed", listener)


def announce(events: Iterable[DomainEvent]) -> None:
    """Hand events to the listeners once the current transaction commits (at once outside one)."""
    if not _LISTENERS:
        return
    batch = list(events)
    if batch:
        transaction.on_commit(lambda: _deliver(batch))


def emit(
    organisation_id: Any,
    *,
    action: str,
    object_type: str,
    object_id: Any,
    object_repr: str,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Announce one event that the audit trail does not carry."""
    announce(
        [
            DomainEvent(
                organisation_id=organisation_id,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                object_repr=object_repr,
                changes=dict(changes or {}),
            )
        ]
    )
