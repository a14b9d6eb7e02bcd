"""REST endpoints of the AI system life cycle (A.6.2.2-A.6.2.8) and change requests (6.3)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, request_organisation, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.inventory.models import AIModel, AISystem, Dataset
from aimwell.lifecycle import present, querysets, status
from aimwell.lifecycle.choices import ApproverDesignation
from aimwell.lifecycle.errors import LifecycleError, NotAuthorised
from aimwell.lifecycle.models import DesignRecord, LoggingPolicy, RequirementsSpec
from aimwell.lifecycle.schemas import (
    AcceptanceIn,
    AcceptanceOut,
    ApprovalOut,
    ApproveIn,
    CriterionIn,
    CriterionOut,
    DesignIn,
    GateOut,
    LoggingPolicyIn,
    NoteIn,
    PlanIn,
    RecordOut,
    RequirementsIn,
    ResultIn,
    ResultOut,
    SettingsIn,
    SettingsOut,
    SystemLifecycleOut,
    SystemSummaryOut,
)
from aimwell.lifecycle.services import gate, records, vv

router = Router(tags=["lifecycle"])
T = TypeVar("T")
RECORD_KINDS = {
    "requirements": RequirementsSpec,
    "design": DesignRecord,
    "logging-policy": LoggingPolicy,
}


def _system(
    request: AimwellRequest, system_id: uuid.UUID, *, write: bool = False
) -> tuple[AISystem, Any]:
    system, membership = get_for_user(
        request.user,
        querysets.systems(request.user, None),
        system_id,
        organisation=request_organisation(request),
        write=write,
    )
    return system, membership


def _detail(system: AISystem) -> dict[str, Any]:
    return present.system(status.load_one(system))


# Overview --------------------------------------------------------------------------------------


@router.get(
    "/lifecycle/systems",
    response=list[SystemSummaryOut],
    summary="Life-cycle status of every AI system (records, V&V, deployment gate)",
)
def list_systems(request: AimwellRequest) -> list[dict[str, Any]]:
    membership = require(request.membership, Capability.READ_ALL)
    rows = querysets.overview(request.user, membership.organisation)
    return [present.summary(entry) for entry in rows]


@router.get(
    "/lifecycle/systems/{system_id}",
    response=SystemLifecycleOut,
    summary="One AI system's life-cycle records",
)
def get_system(request: AimwellRequest, system_id: uuid.UUID) -> dict[str, Any]:
    system, _ = _system(request, system_id)
    return _detail(system)


# Requirements, design, event-log policy ---------------------------------------------------------


@router.put(
    "/lifecycle/systems/{system_id}/requirements",
    response=RecordOut,
    summary="Write the requirements and specification (A.6.2.2); a change is a new version",
)
def put_requirements(request: AimwellRequest, system_id: uuid.UUID, payload: RequirementsIn) -> Any:
    system, _ = _system(request, system_id, write=True)
    spec = records.save_requirements(system, actor=request.user, **payload.model_dump())
    return present.record(spec)


@router.put(
    "/lifecycle/systems/{system_id}/design",
    response=RecordOut,
    summary="Write the design and development record (A.6.2.3)",
)
def put_design(request: AimwellRequest, system_id: uuid.UUID, payload: DesignIn) -> Any:
    system, _ = _system(request, system_id, write=True)
    values = payload.model_dump()
    ids = values.pop("dataset_ids")
    datasets = None
    if ids is not None:
        datasets = list(Dataset.objects.filter(organisation_id=system.organisation_id, pk__in=ids))
        if len(datasets) != len(set(ids)):
            raise HttpError(400, "A dataset is not in this organisation.")
    design = records.save_design(system, actor=request.user, datasets=datasets, **values)
    return present.record(design)


@router.put(
    "/lifecycle/systems/{system_id}/logging-policy",
    response=RecordOut,
    summary="Write the event-log policy: what is logged, where, for how long (A.6.2.8)",
)
def put_logging_policy(
    request: AimwellRequest, system_id: uuid.UUID, payload: LoggingPolicyIn
) -> Any:
    system, _ = _system(request, system_id, write=True)
    policy = records.save_logging_policy(system, actor=request.user, **payload.model_dump())
    return present.record(policy)


@router.post(
    "/lifecycle/systems/{system_id}/records/{kind}/approve",
    response=RecordOut,
    summary="Approve the current version of the requirements, design or event-log policy",
)
def approve_record(
    request: AimwellRequest, system_id: uuid.UUID, kind: str, payload: NoteIn
) -> Any:
    system, _ = _system(request, system_id, write=True)
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise HttpError(404, f"No record kind {kind!r}; use {', '.join(RECORD_KINDS)}.")
    obj = model.objects.filter(system=system).first()
    if obj is None:
        raise HttpError(400, f"{system.name} has no {kind.replace('-', ' ')} record yet.")
    records.approve_record(obj, actor=request.user, note=payload.note)
    return present.record(obj)


# Verification and validation ---------------------------------------------------------------------


@router.put(
    "/lifecycle/systems/{system_id}/vv-plan",
    response=SystemLifecycleOut,
    summary="Write the V&V plan's scope and method (before it is frozen)",
)
def put_plan(request: AimwellRequest, system_id: uuid.UUID, payload: PlanIn) -> Any:
    system, _ = _system(request, system_id, write=True)
    vv.save_plan(system, actor=request.user, **payload.model_dump())
    return _detail(system)


def _plan(system: AISystem) -> Any:
    from aimwell.lifecycle.models import VVPlan

    plan = VVPlan.objects.filter(system=system).first()
    if plan is None:
        raise HttpError(400, f"{system.name} has no V&V plan yet.")
    return plan


@router.post(
    "/lifecycle/systems/{system_id}/vv-plan/criteria",
    response={201: CriterionOut},
    summary="Add a measurable acceptance criterion (refused once the plan is frozen)",
)
def add_criterion(request: AimwellRequest, system_id: uuid.UUID, payload: CriterionIn) -> Any:
    system, _ = _system(request, system_id, write=True)
    plan = _plan(system)
    criterion = vv.add_criterion(plan, actor=request.user, **payload.model_dump())
    return Status(201, present.criterion(status.criterion_state(criterion, [], [])))


@router.post(
    "/lifecycle/systems/{system_id}/vv-plan/freeze",
    response=SystemLifecycleOut,
    summary="Freeze the acceptance criteria (timestamp and SHA-256); they never change after",
)
def freeze_plan(request: AimwellRequest, system_id: uuid.UUID) -> Any:
    system, _ = _system(request, system_id, write=True)
    plan = _plan(system)
    vv.freeze_plan(plan, actor=request.user)
    return _detail(system)


@router.post(
    "/lifecycle/systems/{system_id}/vv-results",
    response={201: ResultOut},
    summary="Attach a result to a criterion: a measured value or a monitoring run",
)
def add_result(request: AimwellRequest, system_id: uuid.UUID, payload: ResultIn) -> Any:
    from aimwell.monitoring.models import MonitorRun

    system, _ = _system(request, system_id, write=True)
    run = None
    if payload.monitor_run_id is not None:
        run = MonitorRun.objects.filter(
            pk=payload.monitor_run_id, organisation_id=system.organisation_id
        ).first()
        if run is None:
            raise HttpError(400, "No such monitoring run in this organisation.")
    result = vv.record_result(
        system,
        criterion_id=payload.criterion_id,
        actor=request.user,
        value=payload.value,
        monitor_run=run,
        measured_on=payload.measured_on,
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": result.pk,
            "criterion": str(result.criterion),
            "value": result.value,
            "passed": result.passed,
            "measured_on": result.measured_on,
            "monitor_run_id": result.monitor_run_id,
        },
    )


@router.post(
    "/lifecycle/systems/{system_id}/vv-acceptances",
    response={201: AcceptanceOut},
    summary="Accept the residual risk of a failed criterion, or waive one (within your authority)",
)
def add_acceptance(request: AimwellRequest, system_id: uuid.UUID, payload: AcceptanceIn) -> Any:
    system, membership = _system(request, system_id, write=True)
    acceptance = vv.accept_criterion(
        system,
        criterion_id=payload.criterion_id,
        kind=payload.kind,
        likelihood=payload.likelihood,
        consequence=payload.consequence,
        rationale=payload.rationale,
        actor=request.user,
        membership=membership,
    )
    return Status(
        201,
        {
            "id": acceptance.pk,
            "criterion": str(acceptance.criterion),
            "kind": acceptance.kind,
            "residual_level": acceptance.residual_level,
            "accepted_by": acceptance.accepted_by_label,
            "accepted_at": acceptance.accepted_at,
        },
    )


# Deployment gate --------------------------------------------------------------------------------


@router.get(
    "/lifecycle/systems/{system_id}/deployment",
    response=GateOut,
    summary="The deployment gate: computed preconditions and the current approval",
)
def get_gate(request: AimwellRequest, system_id: uuid.UUID) -> Any:
    system, _ = _system(request, system_id)
    return present.gate(status.load_one(system))


class GateRefusal(Schema):
    message: str
    missing: list[str]


@router.post(
    "/lifecycle/systems/{system_id}/deployment/approve",
    response={201: ApprovalOut, 400: GateRefusal},
    summary="Approve deploying one model version (needs the organisation's designation and "
    "every precondition met; a refusal lists what is missing)",
)
def approve_deployment(request: AimwellRequest, system_id: uuid.UUID, payload: ApproveIn) -> Any:
    system, membership = _system(request, system_id)
    require(membership, Capability.CONTRIBUTE)
    model = AIModel.objects.filter(
        pk=payload.model_id, organisation_id=system.organisation_id
    ).first()
    if model is None:
        raise HttpError(404, "No such model version in this organisation.")
    try:
        approval = gate.approve_deployment(
            system, model=model, actor=request.user, membership=membership, note=payload.note
        )
    except NotAuthorised as exc:
        raise PermissionDenied(str(exc)) from exc
    except LifecycleError as exc:
        return Status(400, {"message": str(exc), "missing": exc.missing})
    return Status(201, present.approval(approval))


@router.get("/lifecycle/settings", response=SettingsOut, summary="Who approves deployments")
def get_settings(request: AimwellRequest) -> Any:
    membership = require(request.membership, Capability.READ_ALL)
    current = gate.settings_of(membership.organisation)
    return {
        "approver_designation": current.approver_designation,
        "choices": {c.value: str(c.label) for c in ApproverDesignation},
    }


@router.put("/lifecycle/settings", response=SettingsOut, summary="Set who approves deployments")
def put_settings(request: AimwellRequest, payload: SettingsIn) -> Any:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    gate.set_approver_designation(
        membership.organisation, payload.approver_designation, actor=request.user
    )
    return get_settings(request)
