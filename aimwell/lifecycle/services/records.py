"""Requirements and specification (A.6.2.2), design and development (A.6.2.3) and event-log
policy (A.6.2.8) records: one of each per AI system, versioned, approved by a writer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.core import writes
from aimwell.inventory.models import AISystem, Dataset
from aimwell.lifecycle.choices import RecordStatus
from aimwell.lifecycle.errors import LifecycleError
from aimwell.lifecycle.models import DesignRecord, LoggingPolicy, RequirementsSpec, SystemRecord
from aimwell.lifecycle.services.common import (
    change_versioned,
    label_of,
    record,
    record_evidence,
    user_of,
)

# Art. 19(1) and Art. 26(6) EU AI Act: logs of a high-risk system are kept at least six months.
HIGH_RISK_MIN_RETENTION_DAYS = 183
ACTION = {RequirementsSpec: "requirements", DesignRecord: "design", LoggingPolicy: "log_policy"}
CONTROL = {RequirementsSpec: "A.6.2.2", DesignRecord: "A.6.2.3", LoggingPolicy: "A.6.2.8"}


def _save(
    model: type[SystemRecord], system: AISystem, *, actor: Any, values: dict[str, Any]
) -> Any:
    existing = model.objects.filter(system=system).first()
    action = ACTION[model]
    if existing is None:
        values.setdefault("owner", system.owner)
        obj = model(organisation_id=system.organisation_id, system=system, **values)
        writes.save_new(
            obj,
            actor=actor,
            action=f"{action}.created",
            fields=model.FIELDS,  # type: ignore[attr-defined]
            error=LifecycleError,
        )
        return obj
    change_versioned(existing, actor=actor, action=f"{action}.updated", **values)
    return existing


@transaction.atomic
def save_requirements(system: AISystem, *, actor: Any, **values: Any) -> RequirementsSpec:
    if not (values.get("intended_purpose") or "").strip():
        raise LifecycleError("State the intended purpose.", field="intended_purpose")
    return _save(RequirementsSpec, system, actor=actor, values=values)


@transaction.atomic
def save_design(
    system: AISystem, *, actor: Any, datasets: Iterable[Dataset] | None = None, **values: Any
) -> DesignRecord:
    if not (values.get("architecture") or "").strip():
        raise LifecycleError("Describe the architecture.", field="architecture")
    design: DesignRecord = _save(DesignRecord, system, actor=actor, values=values)
    if datasets is not None:
        writes.set_related(
            design,
            "datasets",
            datasets,
            actor=actor,
            action="design.datasets_set",
            error=LifecycleError,
        )
    return design


def retention_refusal(system: AISystem, retention_days: int) -> str | None:
    if system.risk_class == "high_risk" and retention_days < HIGH_RISK_MIN_RETENTION_DAYS:
        return (
            f"{system.name} is high-risk: its logs must be kept at least six months "
            f"({HIGH_RISK_MIN_RETENTION_DAYS} days; EU AI Act Art. 19(1) for providers, "
            "Art. 26(6) for deployers)."
        )
    return None


@transaction.atomic
def save_logging_policy(system: AISystem, *, actor: Any, **values: Any) -> LoggingPolicy:
    refusal = retention_refusal(system, int(values.get("retention_days") or 0))
    if refusal:
        raise LifecycleError(refusal, field="retention_days")
    if not (values.get("events_logged") or "").strip():
        raise LifecycleError("Say which events are logged.", field="events_logged")
    return _save(LoggingPolicy, system, actor=actor, values=values)


@transaction.atomic
def approve_record(obj: SystemRecord, *, actor: Any, note: str = "") -> SystemRecord:
    """Approve the current version of a requirements, design or log-policy record; the product
    records the approval as evidence of its control."""
    if obj.status == RecordStatus.APPROVED:
        return obj
    obj.status = RecordStatus.APPROVED
    obj.approved_by = user_of(actor)
    obj.approved_by_label = label_of(actor)
    obj.approved_at = timezone.now()
    obj.save(
        update_fields=["status", "approved_by", "approved_by_label", "approved_at", "updated_at"]
    )
    action = ACTION[type(obj)]
    record(
        obj,
        actor,
        f"{action}.approved",
        {"status": ["draft", "approved"], "version": [None, obj.version]},
    )
    record_evidence(
        obj,
        ref=CONTROL[type(obj)],
        title=f"{obj} approved",
        payload={
            "record": str(obj),
            "system": obj.system.name,
            "version": obj.version,
            "approved_by": obj.approved_by_label,
            "approved_at": obj.approved_at,
            "note": note,
            "content": {f: _plain(getattr(obj, f)) for f in type(obj).FIELDS if f != "owner"},  # type: ignore[attr-defined]
        },
        actor=actor,
    )
    return obj


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
