"""REST API of nonconformities and their corrective actions (under /api/v1/, tagged "operations" as
before the split)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch
from ninja import Query, Router, Status

from aimwell.accounts.access import get_for_user
from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.core import concurrency
from aimwell.improvement import querysets
from aimwell.improvement import services as improvement
from aimwell.improvement.models import Action, Nonconformity
from aimwell.improvement.schemas import (
    ActionIn,
    ActionOut,
    ActionPage,
    ActionPatch,
    ActionQuery,
    CancelIn,
    CloseIn,
    CompleteIn,
    CorrectionIn,
    NonconformityDetailOut,
    NonconformityIn,
    NonconformityPage,
    NonconformityPatch,
    NonconformityQuery,
    RootCauseIn,
    VerificationIn,
)
from aimwell.operations.lists import filtered, page_of
from aimwell.operations.rest import (
    AUDIT_WRITERS,
    get_object,
    membership,
    node_by_urn,
    page_dict,
    params,
    require_any,
    systems_by_id,
)

router = Router(tags=["operations"])


def _nc_out(nc: Nonconformity) -> Nonconformity:
    """The nonconformity with what its detail schema reads, in a fixed number of queries."""
    found: Nonconformity = (
        Nonconformity.objects.select_related("owner", "requirement", "verified_by")
        .prefetch_related("systems", Prefetch("actions", Action.objects.select_related("owner")))
        .get(pk=nc.pk)
    )
    return found


def _nc_for(
    request: AimwellRequest, nc_id: uuid.UUID, *, audit_record: bool = False
) -> Nonconformity:
    return get_object(  # type: ignore[no-any-return]
        request, Nonconformity.objects.all(), nc_id, write=True, audit_record=audit_record
    )


@router.get(
    "/nonconformities", response=NonconformityPage, summary="Nonconformities (filter, paginate)"
)
def list_nonconformities(
    request: AimwellRequest, query: Query[NonconformityQuery]
) -> dict[str, Any]:
    m = membership(request)
    rows = filtered(querysets.NONCONFORMITIES, m.organisation, params(query))
    return page_dict(page_of(rows, query.page, query.page_size))


@router.post(
    "/nonconformities", response={201: NonconformityDetailOut}, summary="Raise a nonconformity"
)
def raise_nonconformity(request: AimwellRequest, payload: NonconformityIn) -> Status[Nonconformity]:
    m = require_any(request, *AUDIT_WRITERS)
    org = m.organisation
    values = payload.model_dump()
    nc = improvement.raise_nonconformity(
        org,
        actor=request.user,
        title=values["title"],
        description=values["description"],
        source=values["source"],
        severity=values["severity"],
        owner=member_user(org, values["owner_email"]),
        due_date=values["due_date"],
        requirement=node_by_urn(values["requirement_urn"]),
        systems=systems_by_id(org, values["system_ids"]),
    )
    return Status(201, _nc_out(nc))


@router.get("/nonconformities/{nc_id}", response=NonconformityDetailOut, summary="A nonconformity")
def get_nonconformity(request: AimwellRequest, nc_id: uuid.UUID) -> Nonconformity:
    return _nc_out(get_object(request, Nonconformity.objects.all(), nc_id))


@router.patch(
    "/nonconformities/{nc_id}", response=NonconformityDetailOut, summary="Change a nonconformity"
)
def update_nonconformity(
    request: AimwellRequest, nc_id: uuid.UUID, payload: NonconformityPatch
) -> Nonconformity:
    nc = _nc_for(request, nc_id)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(nc.organisation, changes.pop("owner_email"))
    if "requirement_urn" in changes:
        changes["requirement"] = node_by_urn(changes.pop("requirement_urn"))
    improvement.update_nonconformity(nc, actor=request.user, **changes)
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/correction",
    response=NonconformityDetailOut,
    summary="Record the correction",
)
def record_correction(
    request: AimwellRequest, nc_id: uuid.UUID, payload: CorrectionIn
) -> Nonconformity:
    nc = _nc_for(request, nc_id)
    improvement.record_correction(
        nc, actor=request.user, correction=payload.correction, done_on=payload.done_on
    )
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/root-cause",
    response=NonconformityDetailOut,
    summary="Record the root cause",
)
def record_root_cause(
    request: AimwellRequest, nc_id: uuid.UUID, payload: RootCauseIn
) -> Nonconformity:
    nc = _nc_for(request, nc_id)
    improvement.record_root_cause(
        nc, actor=request.user, root_cause=payload.root_cause, method=payload.method
    )
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/actions",
    response={201: ActionOut},
    summary="Plan a corrective action",
)
def add_corrective_action(
    request: AimwellRequest, nc_id: uuid.UUID, payload: ActionIn
) -> Status[Action]:
    nc = _nc_for(request, nc_id)
    action = improvement.add_corrective_action(
        nc,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        owner=member_user(nc.organisation, payload.owner_email),
        due_date=payload.due_date,
    )
    return Status(201, action)


@router.post(
    "/nonconformities/{nc_id}/verification",
    response=NonconformityDetailOut,
    summary="Verify the effectiveness of the corrective action",
)
def verify(request: AimwellRequest, nc_id: uuid.UUID, payload: VerificationIn) -> Nonconformity:
    nc = _nc_for(request, nc_id, audit_record=True)
    improvement.verify_effectiveness(
        nc,
        actor=request.user,
        result=payload.result,
        notes=payload.notes,
        on=payload.verified_on,
    )
    return _nc_out(nc)


@router.post(
    "/nonconformities/{nc_id}/close",
    response=NonconformityDetailOut,
    summary="Close a nonconformity (only after its corrective action was verified effective)",
)
def close(request: AimwellRequest, nc_id: uuid.UUID, payload: CloseIn) -> Nonconformity:
    nc = _nc_for(request, nc_id, audit_record=True)
    improvement.close_nonconformity(nc, actor=request.user, on=payload.closed_on)
    return _nc_out(nc)


def _action_for_write(request: AimwellRequest, action_id: uuid.UUID) -> Action:
    """Managers, contributors who own it or its nonconformity, and any participant who owns it."""
    action: Action
    action, m = get_for_user(
        request.user,
        Action.objects.select_related("nonconformity", "owner"),
        action_id,
        organisation=request.organisation,
    )
    own = action.owner_id == request.user.pk and can(m, Capability.ACKNOWLEDGE)
    if not (own or can_write(m, action)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Your role does not allow changing this.")
    concurrency.fetched(action, write=True)
    return action


@router.get("/actions", response=ActionPage, summary="Tracked actions (filter, paginate)")
def list_actions(request: AimwellRequest, query: Query[ActionQuery]) -> dict[str, Any]:
    m = membership(request)
    base = Action.objects.all()
    if query.kind == "corrective":
        base = base.filter(nonconformity__isnull=False)
    elif query.kind == "review":
        base = base.filter(review__isnull=False)
    values = params(query)
    values.pop("kind", None)
    rows = filtered(querysets.ACTIONS, m.organisation, values, base=base)
    return page_dict(page_of(rows, query.page, query.page_size))


@router.get("/actions/{action_id}", response=ActionOut, summary="A tracked action")
def get_action(request: AimwellRequest, action_id: uuid.UUID) -> Action:
    return get_object(request, Action.objects.select_related("owner"), action_id)  # type: ignore[no-any-return]


@router.patch("/actions/{action_id}", response=ActionOut, summary="Change an action")
def update_action(request: AimwellRequest, action_id: uuid.UUID, payload: ActionPatch) -> Action:
    action = _action_for_write(request, action_id)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(action.organisation, changes.pop("owner_email"))
    improvement.update_action(action, actor=request.user, **changes)
    return action


@router.post("/actions/{action_id}/complete", response=ActionOut, summary="Complete an action")
def complete_action(request: AimwellRequest, action_id: uuid.UUID, payload: CompleteIn) -> Action:
    action = _action_for_write(request, action_id)
    improvement.complete_action(
        action, actor=request.user, note=payload.note, on=payload.completed_on
    )
    return action


@router.post("/actions/{action_id}/cancel", response=ActionOut, summary="Cancel an action")
def cancel_action(request: AimwellRequest, action_id: uuid.UUID, payload: CancelIn) -> Action:
    action = _action_for_write(request, action_id)
    improvement.cancel_action(action, actor=request.user, reason=payload.reason)
    return action
