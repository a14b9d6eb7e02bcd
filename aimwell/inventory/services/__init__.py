"""The only writers of the inventory. Every write records an audit event; changes that affect
what was decided about a system (its purpose, a new model version, a new dataset or supplier)
raise *needs review* flags on what depends on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from aimwell.core import writes
from aimwell.core.audit import diff, pending_for, record_events, snapshot
from aimwell.inventory.errors import InventoryError
from aimwell.inventory.models import (
    AIModel,
    AISystem,
    Dataset,
    Resource,
    Supplier,
    ordered_roles,
)
from aimwell.inventory.services.review import raise_reviews

SYSTEM_FIELDS = (
    "name",
    "purpose",
    "intended_use",
    "foreseeable_misuse",
    "owner",
    "business_unit",
    "lifecycle_stage",
    "deployment_context",
    "geography",
    "users",
    "affected_persons",
    "vulnerable_groups",
    "autonomy",
    "oversight_mode",
    "decision_impact",
    "eu_roles",
    "in_scope",
    "scope_reason",
)
MODEL_FIELDS = (
    "name",
    "version",
    "model_type",
    "origin",
    "supplier",
    "licence",
    "intended_use",
    "limitations",
    "is_general_purpose",
    "training_compute_flops",
    "retired_on",
)
DATASET_FIELDS = (
    "name",
    "source",
    "acquisition",
    "provenance",
    "contains_personal_data",
    "special_category_data",
    "legal_basis",
    "quality_checks",
    "collection_period",
    "labelling",
    "representativeness",
    "quality_reviewed_on",
    "retention",
    "supplier",
)
SUPPLIER_FIELDS = (
    "name",
    "provides",
    "contact",
    "due_diligence",
    "due_diligence_date",
    "responsibilities",
)
RESOURCE_FIELDS = ("kind", "name", "description", "provider", "capacity")
FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    AISystem: SYSTEM_FIELDS,
    AIModel: MODEL_FIELDS,
    Dataset: DATASET_FIELDS,
    Supplier: SUPPLIER_FIELDS,
    Resource: RESOURCE_FIELDS,
}
# Changing these means earlier decisions about the system may no longer hold.
SYSTEM_REVIEW_FIELDS = (
    "purpose",
    "intended_use",
    "deployment_context",
    "affected_persons",
    "autonomy",
    "oversight_mode",
    "decision_impact",
    "eu_roles",
)
ACTION = {
    AISystem: "ai_system",
    AIModel: "ai_model",
    Dataset: "dataset",
    Supplier: "supplier",
    Resource: "resource",
}


DUPLICATE = "There is already an entry named “{obj.name}”."


@transaction.atomic
def create(model: type[Any], organisation: Any, *, actor: Any, **values: Any) -> Any:
    """Create a system, model, dataset, supplier or resource from validated values."""
    if model is AISystem:
        values = _with_roles(values)
    fields = FIELDS[model]
    unknown = set(values) - set(fields) - {"system"}
    if unknown:
        raise TypeError(f"Not {model.__name__} fields: {sorted(unknown)}")
    obj = model(organisation=organisation, **values)
    writes.save_new(
        obj,
        actor=actor,
        action=f"{ACTION[model]}.created",
        fields=fields,
        error=InventoryError,
        duplicate=DUPLICATE,
    )
    return obj


@transaction.atomic
def update(obj: Any, *, actor: Any, **changes: Any) -> Any:
    """Change fields; returns the object. Raises review flags where the change matters."""
    if isinstance(obj, AISystem):
        changes = _with_roles(changes)
    changed = writes.apply_changes(
        obj,
        actor=actor,
        action=f"{ACTION[type(obj)]}.updated",
        allowed=FIELDS[type(obj)],
        error=InventoryError,
        duplicate=DUPLICATE,
        **changes,
    )
    if not changed:
        return obj
    _reviews_after_update(obj, changed, actor)
    return obj


def _with_roles(values: dict[str, Any]) -> dict[str, Any]:
    """`eu_role` (one role, as older callers give it) becomes `eu_roles`; roles are checked and
    put in the Act's order, an unknown one is a clear error."""
    values = dict(values)
    if "eu_role" in values:
        role = values.pop("eu_role")
        values.setdefault("eu_roles", [role] if role else [])
    if "eu_roles" in values:
        try:
            values["eu_roles"] = ordered_roles(values["eu_roles"] or [])
        except ValueError as exc:
            raise InventoryError(str(exc)) from exc
    return values


def _reviews_after_update(obj: Any, changed: dict[str, Any], actor: Any) -> None:
    if isinstance(obj, AISystem):
        touched = [f for f in SYSTEM_REVIEW_FIELDS if f in changed]
        if touched:
            raise_reviews(
                [obj],
                actor=actor,
                reason=f"{', '.join(f.replace('_', ' ') for f in touched)} changed",
            )
    elif isinstance(obj, AIModel) and "version" in changed:
        before, after = changed["version"]
        raise_reviews(
            _deployed(obj.systems.all()),
            actor=actor,
            reason=f"model {obj.name} changed version from {before} to {after}",
        )
    elif isinstance(obj, (Dataset, Supplier)) and changed:
        kind = "dataset" if isinstance(obj, Dataset) else "supplier"
        if set(changed) & {
            "special_category_data",
            "contains_personal_data",
            "legal_basis",
            "responsibilities",
            "due_diligence",
        }:
            raise_reviews(
                _deployed(obj.systems.all()),
                actor=actor,
                reason=f"{kind} {obj.name} changed ({', '.join(changed)})",
            )


def _deployed(systems: Iterable[AISystem]) -> list[AISystem]:
    return [s for s in systems if s.lifecycle_stage != "retired"]


LINKS = {
    "models": ("models_used", AIModel, "model"),
    "datasets": ("datasets", Dataset, "dataset"),
    "suppliers": ("suppliers", Supplier, "supplier"),
}


@transaction.atomic
def link(system: AISystem, kind: str, target: Any, *, actor: Any) -> None:
    """Link a model, dataset or supplier to a system; a new one means earlier decisions need
    review."""
    field, model, label = LINKS[kind]
    if not isinstance(target, model) or target.organisation_id != system.organisation_id:
        raise InventoryError(f"That {label} does not belong to this organisation.")
    relation = getattr(system, field)
    if relation.filter(pk=target.pk).exists():
        return
    relation.add(target)
    record_events(
        organisation_id=system.organisation_id,
        actor=actor,
        events=[
            pending_for(
                system, action=f"ai_system.{label}_linked", changes={label: [None, str(target)]}
            )
        ],
    )
    raise_reviews([system], actor=actor, reason=f"new {label} linked: {target}")


@transaction.atomic
def unlink(system: AISystem, kind: str, target: Any, *, actor: Any) -> None:
    field, _, label = LINKS[kind]
    relation = getattr(system, field)
    if not relation.filter(pk=target.pk).exists():
        return
    relation.remove(target)
    record_events(
        organisation_id=system.organisation_id,
        actor=actor,
        events=[
            pending_for(
                system, action=f"ai_system.{label}_unlinked", changes={label: [str(target), None]}
            )
        ],
    )


@transaction.atomic
def new_model_version(
    model: AIModel, *, version: str, actor: Any, replace_in_systems: bool = True
) -> AIModel:
    """Register a new version of a model; systems that used the old one move to the new one and
    their decisions are flagged for review."""
    values = {f: getattr(model, f) for f in MODEL_FIELDS if f not in ("version", "retired_on")}
    successor = create(AIModel, model.organisation, actor=actor, version=version, **values)
    if replace_in_systems:
        systems = list(model.systems.all())
        for system in systems:
            system.models_used.remove(model)
            system.models_used.add(successor)
        record_events(
            organisation_id=model.organisation_id,
            actor=actor,
            events=[
                pending_for(
                    s,
                    action="ai_system.model_upgraded",
                    changes={"model": [str(model), str(successor)]},
                )
                for s in systems
            ],
        )
        raise_reviews(
            _deployed(systems),
            actor=actor,
            reason=f"new model version: {model.name} {model.version} → {version}",
        )
    return successor


@transaction.atomic
def delete(obj: Any, *, actor: Any) -> None:
    """Delete a model, dataset, supplier or resource (systems are retired, not deleted)."""
    if isinstance(obj, AISystem):
        raise InventoryError("AI systems are retired (life-cycle stage), not deleted.")
    record_events(
        organisation_id=obj.organisation_id,
        actor=actor,
        events=[
            pending_for(
                obj,
                action=f"{ACTION[type(obj)]}.deleted",
                changes=diff(snapshot(obj, FIELDS[type(obj)]), {}),
            )
        ],
    )
    obj.delete()
