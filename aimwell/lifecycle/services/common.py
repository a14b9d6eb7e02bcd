"""Helpers shared by the life-cycle services: who acted, audited versioned changes, and the
evidence the product records when a life-cycle decision is taken."""

from __future__ import annotations

from typing import Any

from django.db import models

from aimwell.core import writes
from aimwell.core.audit import record_for
from aimwell.lifecycle.errors import LifecycleError

ISO = "iso42001:2023"


def user_of(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def label_of(actor: Any) -> str:
    return str(getattr(actor, "email", None) or actor or "system")[:200]


def record(obj: models.Model, actor: Any, action: str, changes: dict[str, Any] | None) -> None:
    record_for(obj, actor=actor, action=action, changes=changes)


def change_versioned(obj: Any, *, actor: Any, action: str, **changes: Any) -> dict[str, Any]:
    """Change a record's fields through the audited write; a real change is a new version, and an
    approved record goes back to draft until it is approved again."""
    changed = writes.apply_changes(
        obj, actor=actor, action=action, allowed=obj.FIELDS, error=LifecycleError, **changes
    )
    if changed:
        bump: dict[str, Any] = {"version": obj.version + 1}
        if getattr(obj, "status", None) == "approved":
            bump.update(status="draft", approved_by=None, approved_by_label="", approved_at=None)
        writes.apply_changes(
            obj,
            actor=actor,
            action=f"{action.rsplit('.', 1)[0]}.versioned",
            allowed=tuple(bump),
            error=LifecycleError,
            **bump,
        )
    return changed


def record_evidence(obj: Any, *, ref: str, title: str, payload: dict[str, Any], actor: Any) -> Any:
    """Evidence of a life-cycle decision, recorded by the product and linked to the control or
    clause it shows (and to the record itself)."""
    from aimwell.catalog.models import RequirementNode
    from aimwell.evidence.services import record_product_evidence

    node_ids = RequirementNode.objects.filter(
        urn=f"{ISO}:{ref}", framework__organisation__isnull=True
    ).values_list("pk", flat=True)
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return record_product_evidence(
        obj.organisation,
        source=label,
        title=title,
        payload=payload,
        actor=actor,
        requirement_ids=list(node_ids),
        links=[(label, obj.pk)],
    )
