"""Deployment approval (A.6.2.5): a gate whose preconditions are computed from the records, given
only by a member with the designation the organisation requires, for one model version."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from aimwell.accounts.roles import AIMSProcess
from aimwell.inventory.models import AIModel, AISystem
from aimwell.inventory.services.review import resolve_subject
from aimwell.lifecycle import status
from aimwell.lifecycle.choices import ApproverDesignation
from aimwell.lifecycle.errors import LifecycleError, NotAuthorised
from aimwell.lifecycle.models import DeploymentApproval, LifecycleSettings
from aimwell.lifecycle.services.common import label_of, record, record_evidence, user_of


def settings_of(organisation: Any) -> LifecycleSettings:
    found = LifecycleSettings.objects.filter(organisation_id=organisation.pk).first()
    return found or LifecycleSettings(organisation_id=organisation.pk)


@transaction.atomic
def set_approver_designation(
    organisation: Any, designation: str, *, actor: Any
) -> LifecycleSettings:
    if designation not in ApproverDesignation.values:
        raise LifecycleError(
            f"Designation must be one of {', '.join(ApproverDesignation.values)}.", "designation"
        )
    current = settings_of(organisation)
    before = current.approver_designation if current.pk and not current._state.adding else None
    current.approver_designation = designation
    current.save()
    if before != designation:
        from aimwell.core.audit import record_for

        record_for(
            organisation,
            actor=actor,
            action="lifecycle.approver_designation_set",
            changes={"approver_designation": [before, designation]},
        )
    return current


def holds_designation(membership: Any, designation: str) -> bool:
    if membership is None:
        return False
    if designation == ApproverDesignation.TOP_MANAGEMENT:
        return bool(membership.is_top_management)
    if designation == ApproverDesignation.AI_LIFECYCLE_OWNER:
        return bool(membership.owns_process(AIMSProcess.AI_LIFECYCLE))
    return membership.risk_acceptance_limit is not None


def designation_refusal(membership: Any, organisation: Any) -> str | None:
    designation = settings_of(organisation).approver_designation
    if holds_designation(membership, designation):
        return None
    label = ApproverDesignation(designation).label.lower()
    return (
        f"Deployments of {organisation.name} are approved by {label}; you do not hold that "
        "designation."
    )


@transaction.atomic
def approve_deployment(
    system: AISystem, *, model: AIModel, actor: Any, membership: Any, note: str = ""
) -> DeploymentApproval:
    """Approve deploying `model` (a version the system uses, not retired) once every computed
    precondition is met; a refusal names each missing one."""
    if model.organisation_id != system.organisation_id:
        raise LifecycleError("No such model version in this organisation.", "model_id")
    if model.retired_on is not None:
        raise LifecycleError(
            f"{model} was retired on {model.retired_on.isoformat()}: approve the version the "
            "system runs now.",
            "model_id",
        )
    if not system.models_used.filter(pk=model.pk).exists():
        raise LifecycleError(f"{system.name} does not use {model}.", "model_id")
    refusal = designation_refusal(membership, system.organisation)
    if refusal:
        raise NotAuthorised(refusal)
    entry = status.load_one(system)
    if entry.missing:
        raise LifecycleError(
            "Deployment cannot be approved yet. Missing: " + "; ".join(entry.missing) + ".",
            missing=entry.missing,
        )
    previous = list(DeploymentApproval.objects.filter(system=system).values_list("pk", flat=True))
    number = (
        DeploymentApproval.objects.filter(system=system).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    approval = DeploymentApproval.objects.create(
        organisation_id=system.organisation_id,
        system=system,
        model=model,
        model_label=str(model)[:260],
        number=number,
        approved_by=user_of(actor),
        approved_by_label=label_of(actor),
        approved_at=timezone.now(),
        designation=settings_of(system.organisation).approver_designation,
        preconditions=[p.as_dict() for p in entry.preconditions],
        note=note[:500],
    )
    record(
        approval,
        actor,
        "deployment.approved",
        {"model": [None, str(model)], "number": [None, number]},
    )
    for pk in previous:
        resolve_subject(
            status.APPROVAL_SUBJECT, str(pk), actor=actor, note=f"Superseded by approval {number}"
        )
    record_evidence(
        approval,
        ref="A.6.2.5",
        title=f"Deployment of {system.name} ({model}) approved",
        payload={
            "system": system.name,
            "model_version": str(model),
            "approval": number,
            "approved_by": approval.approved_by_label,
            "approved_at": approval.approved_at,
            "designation": approval.designation,
            "preconditions": approval.preconditions,
            "note": approval.note,
        },
        actor=actor,
    )
    return approval
