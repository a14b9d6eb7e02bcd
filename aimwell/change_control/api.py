"""REST endpoints of change requests (clause 6.3)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, request_organisation, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can_write
from aimwell.change_control import present, querysets
from aimwell.change_control import services as changes
from aimwell.change_control.choices import ChangeStatus
from aimwell.change_control.models import ChangeRequest
from aimwell.change_control.schemas import (
    ChangeActionIn,
    ChangeIn,
    ChangeOut,
    ChangePage,
    ChangePatch,
)
from aimwell.inventory.models import AISystem

# Tagged with the life cycle, where the change endpoints were first documented.
router = Router(tags=["lifecycle"])


class ChangeQuery(Schema):
    status: list[ChangeStatus] | None = None
    system_id: uuid.UUID | None = None
    q: str | None = None


def _system_of(membership: Any, system_id: uuid.UUID | None) -> AISystem | None:
    if system_id is None:
        return None
    system: AISystem | None = AISystem.objects.filter(
        pk=system_id, organisation_id=membership.organisation_id
    ).first()
    if system is None:
        raise HttpError(404, "No such AI system in this organisation.")
    return system


@router.get("/changes", response=ChangePage, summary="Change requests (clause 6.3)")
def list_changes(request: AimwellRequest, query: Query[ChangeQuery]) -> Any:
    membership = require(request.membership, Capability.READ_ALL)
    system = _system_of(membership, query.system_id)
    qs = querysets.changes(
        request.user,
        membership.organisation,
        status_in=query.status,
        system=system,
        q=query.q,
    )
    items = list(qs[: querysets.MAX_ROWS])
    return {"count": qs.count(), "items": [present.change(c) for c in items]}


@router.post(
    "/changes", response={201: ChangeOut}, summary="Propose a change to the AIMS or a system"
)
def create_change(request: AimwellRequest, payload: ChangeIn) -> Any:
    membership = require(request.membership, Capability.CONTRIBUTE)
    values = payload.model_dump()
    system = _system_of(membership, values.pop("system_id"))
    if system is not None and not can_write(membership, system):
        raise PermissionDenied("You may propose changes to the systems you own.")
    change = changes.create_change(
        membership.organisation, actor=request.user, system=system, **values
    )
    return Status(201, present.change(change))


def _change(
    request: AimwellRequest, change_id: uuid.UUID, *, write: bool = False
) -> tuple[ChangeRequest, Any]:
    return get_for_user(
        request.user,
        querysets.changes(request.user, None),
        change_id,
        organisation=request_organisation(request),
        write=write,
    )


@router.get("/changes/{change_id}", response=ChangeOut, summary="One change request")
def get_change(request: AimwellRequest, change_id: uuid.UUID) -> Any:
    change, _ = _change(request, change_id)
    return present.change(change)


@router.patch(
    "/changes/{change_id}", response=ChangeOut, summary="Edit a draft or submitted change"
)
def update_change(request: AimwellRequest, change_id: uuid.UUID, payload: ChangePatch) -> Any:
    change, membership = _change(request, change_id, write=True)
    values = payload.model_dump(exclude_unset=True)
    if "system_id" in values:
        values["system"] = _system_of(membership, values.pop("system_id"))
    changes.update_change(change, actor=request.user, **values)
    return present.change(change)


CHANGE_ACTIONS = ("submit", "approve", "reject", "implement", "review")


@router.post(
    "/changes/{change_id}/{action}",
    response=ChangeOut,
    summary="Move a change on: submit, approve, reject, implement, review",
)
def act_on_change(
    request: AimwellRequest, change_id: uuid.UUID, action: str, payload: ChangeActionIn
) -> Any:
    if action not in CHANGE_ACTIONS:
        raise HttpError(404, f"No action {action!r}; use {', '.join(CHANGE_ACTIONS)}.")
    change, membership = _change(
        request, change_id, write=action in ("submit", "implement", "review")
    )
    actor = request.user
    calls: dict[str, Callable[[], Any]] = {
        "submit": lambda: changes.submit_change(change, actor=actor),
        "approve": lambda: changes.decide_change(
            change, approve=True, actor=actor, membership=membership, note=payload.note
        ),
        "reject": lambda: changes.decide_change(
            change, approve=False, actor=actor, membership=membership, note=payload.note
        ),
        "implement": lambda: changes.implement_change(change, actor=actor, on=payload.on),
        "review": lambda: changes.review_change(
            change, actor=actor, note=payload.note, on=payload.on
        ),
    }
    calls[action]()
    return present.change(change)
