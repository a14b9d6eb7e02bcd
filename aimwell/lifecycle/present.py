"""The life-cycle records as plain data for the API, the CLI and the reports (one shape)."""

from __future__ import annotations

from typing import Any

from aimwell.lifecycle import status
from aimwell.lifecycle.models import DeploymentApproval, SystemRecord
from aimwell.lifecycle.services.vv import plan_intact


def person(user: Any) -> str | None:
    return user.email if user is not None else None


def record(obj: SystemRecord | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    fields = [f for f in type(obj).FIELDS if f != "owner"]  # type: ignore[attr-defined]
    content: dict[str, Any] = {f: getattr(obj, f) for f in fields}
    if hasattr(obj, "datasets") and obj.pk:
        content["datasets"] = [d.name for d in obj.datasets.all()]
    return {
        "id": obj.pk,
        "status": obj.status,
        "version": obj.version,
        "owner": person(obj.owner),
        "approved_by": obj.approved_by_label,
        "approved_at": obj.approved_at,
        "updated_at": obj.updated_at,
        "content": content,
    }


def criterion(state: status.CriterionState) -> dict[str, Any]:
    c = state.criterion
    return {
        "id": c.pk,
        "key": c.key,
        "kind": c.kind,
        "metric": c.metric,
        "comparison": c.comparison,
        "threshold": c.threshold,
        "group": c.group,
        "description": c.description,
        "status": state.status,
        "latest_value": state.latest.value if state.latest else None,
        "latest_measured_on": state.latest.measured_on if state.latest else None,
        "acceptance": str(state.acceptance) if state.acceptance else None,
    }


def approval(obj: DeploymentApproval | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {
        "id": obj.pk,
        "number": obj.number,
        "model_id": obj.model_id,
        "model": obj.model_label,
        "approved_by": obj.approved_by_label,
        "approved_at": obj.approved_at,
        "designation": obj.designation,
        "note": obj.note,
    }


def gate(entry: status.SystemLifecycle) -> dict[str, Any]:
    return {
        "system_id": entry.system.pk,
        "system": entry.system.name,
        "open": entry.gate_open,
        "missing": entry.missing,
        "preconditions": [p.as_dict() for p in entry.preconditions],
        "approval": approval(entry.approval),
        "approval_state": entry.approval_state,
        "approval_reason": entry.approval_reason,
    }


def system(entry: status.SystemLifecycle) -> dict[str, Any]:
    plan = entry.plan
    return {
        "system_id": entry.system.pk,
        "system": entry.system.name,
        "lifecycle_stage": entry.system.lifecycle_stage,
        "requirements": record(entry.requirements),
        "design": record(entry.design),
        "logging_policy": record(entry.logging),
        "vv_plan": None
        if plan is None
        else {
            "id": plan.pk,
            "scope": plan.scope,
            "method": plan.method,
            "frozen_at": plan.frozen_at,
            "frozen_by": plan.frozen_by_label,
            "criteria_sha256": plan.criteria_sha256,
            "intact": plan_intact(plan) if plan.is_frozen else None,
            "outcome": entry.vv_outcome,
            "criteria": [criterion(s) for s in entry.criteria],
        },
        "gate": gate(entry),
        "open_changes": entry.open_changes,
    }


def summary(entry: status.SystemLifecycle) -> dict[str, Any]:
    def state(obj: SystemRecord | None) -> str:
        return "missing" if obj is None else obj.status

    return {
        "system_id": entry.system.pk,
        "system": entry.system.name,
        "lifecycle_stage": entry.system.lifecycle_stage,
        "requirements": state(entry.requirements),
        "design": state(entry.design),
        "vv_outcome": entry.vv_outcome,
        "logging_policy": entry.logging is not None,
        "approval_state": entry.approval_state,
        "gate_open": entry.gate_open,
        "missing": entry.missing,
        "open_changes": entry.open_changes,
    }
