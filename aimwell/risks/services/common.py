"""Helpers shared by the risks services."""

from __future__ import annotations

from typing import Any

from django.db import models

from aimwell.core import references
from aimwell.core.audit import diff, pending_for, record_events, snapshot


def user_of(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def label_of(actor: Any) -> str:
    return str(getattr(actor, "email", None) or actor or "system")[:200]


def record(obj: models.Model, actor: Any, action: str, changes: dict[str, Any] | None) -> None:
    record_events(
        organisation_id=obj.organisation_id,  # type: ignore[attr-defined]
        actor=actor,
        events=[pending_for(obj, action=action, changes=changes)],
    )


def created(obj: models.Model, actor: Any, action: str, fields: tuple[str, ...]) -> None:
    record(obj, actor, action, diff({}, snapshot(obj, fields)))


def next_reference(model: type[models.Model], organisation: Any, prefix: str) -> str:
    """The next `PREFIX-NNN` reference of the organisation."""
    return references.next_reference(model, organisation.pk, prefix)
