"""AI objectives (6.2): measurable, owned, dated, linked to the Annex C objective they serve and
to AI systems; progress by measurement, recorded by hand or fed by monitoring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.catalog.models import RequirementNode
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.objectives.choices import MeasurementSource, ObjectiveDirection, ObjectiveStatus
from aimwell.objectives.models import AIObjective, Measurement
from aimwell.operations.errors import OperationsError
from aimwell.operations.writes import apply_changes, require_member, save_new, set_related

EDITABLE = tuple(f for f in AIObjective.AUDIT_FIELDS if f != "status")


def _check(organisation: Any, values: dict[str, Any]) -> None:
    if values.get("direction", ObjectiveDirection.AT_LEAST) not in ObjectiveDirection.values:
        raise OperationsError("Unknown direction.", field="direction")
    node = values.get("annex_c")
    if node is not None and (not isinstance(node, RequirementNode) or node.kind != "objective"):
        raise OperationsError("Link an Annex C objective of the catalog.", field="annex_c")
    business = values.get("business_objective")
    if business is not None and business.organisation_id != organisation.pk:
        raise OperationsError(
            "That objective belongs to another organisation.", "business_objective"
        )
    if "owner" in values:
        require_member(organisation, values["owner"], "owner")


@transaction.atomic
def create_objective(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    measure: str,
    target: float,
    due_date: dt.date,
    systems: Iterable[Any] = (),
    **values: Any,
) -> AIObjective:
    _check(organisation, values)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not objective fields: {sorted(unknown)}")
    objective = AIObjective(
        organisation=organisation,
        title=title,
        measure=measure,
        target=target,
        due_date=due_date,
        **values,
    )
    save_new(objective, actor=actor, action="objective.created")
    set_related(objective, "systems", systems, actor=actor, action="objective.systems_changed")
    return objective


@transaction.atomic
def update_objective(
    objective: AIObjective, *, actor: Any, systems: Iterable[Any] | None = None, **changes: Any
) -> AIObjective:
    _check(objective.organisation, changes)
    apply_changes(objective, actor=actor, action="objective.updated", allowed=EDITABLE, **changes)
    if systems is not None:
        set_related(objective, "systems", systems, actor=actor, action="objective.systems_changed")
    _refresh_status(objective, actor)
    return objective


def status_for(objective: AIObjective, value: float | None, on: dt.date | None) -> str:
    """Met by the due date: achieved; met before it: on track; not met: at risk, then missed."""
    if objective.status == ObjectiveStatus.RETIRED:
        return ObjectiveStatus.RETIRED
    if value is None or on is None:
        return ObjectiveStatus.NOT_STARTED
    past_due = on >= objective.due_date
    if objective.meets(value):
        return ObjectiveStatus.ACHIEVED if past_due else ObjectiveStatus.ON_TRACK
    return ObjectiveStatus.MISSED if past_due else ObjectiveStatus.AT_RISK


def _refresh_status(objective: AIObjective, actor: Any) -> None:
    status = status_for(objective, objective.latest_value, objective.latest_on)
    if status != objective.status:
        apply_changes(
            objective, actor=actor, action="objective.status", allowed=("status",), status=status
        )


@transaction.atomic
def record_measurement(
    objective: AIObjective,
    *,
    actor: Any,
    value: float,
    measured_on: dt.date | None = None,
    source: str = MeasurementSource.MANUAL,
    note: str = "",
) -> Measurement:
    if source not in MeasurementSource.values:
        raise OperationsError(f"Unknown source {source!r}.", field="source")
    if objective.status == ObjectiveStatus.RETIRED:
        raise OperationsError("A retired objective takes no more measurements.")
    measurement = Measurement.objects.create(
        organisation_id=objective.organisation_id,
        objective=objective,
        value=value,
        measured_on=measured_on or timezone.localdate(),
        source=source,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_for(
        objective,
        actor=actor,
        action="objective.measured",
        changes=diff({}, snapshot(measurement, ("value", "measured_on", "source", "note"))),
    )
    latest = objective.measurements.order_by("-measured_on", "-created_at").first()
    assert latest is not None
    apply_changes(
        objective,
        actor=actor,
        action="objective.progress",
        allowed=("latest_value", "latest_on"),
        latest_value=latest.value,
        latest_on=latest.measured_on,
    )
    _refresh_status(objective, actor)
    return measurement


@transaction.atomic
def retire_objective(objective: AIObjective, *, actor: Any) -> AIObjective:
    apply_changes(
        objective,
        actor=actor,
        action="objective.retired",
        allowed=("status",),
        status=ObjectiveStatus.RETIRED,
    )
    return objective
