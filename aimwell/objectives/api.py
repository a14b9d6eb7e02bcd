"""REST API of AI objectives and their measurements (under /api/v1/, tagged "operations" as before
the split)."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Query, Router, Status
from ninja.errors import HttpError

from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.context.models import Objective as BusinessObjective
from aimwell.objectives import querysets
from aimwell.objectives import services as objectives
from aimwell.objectives.models import AIObjective
from aimwell.objectives.schemas import (
    MeasurementIn,
    MeasurementOut,
    ObjectiveDetailOut,
    ObjectiveIn,
    ObjectivePage,
    ObjectivePatch,
    ObjectiveQuery,
)
from aimwell.operations.rest import (
    get_object,
    list_of,
    membership,
    node_by_urn,
    systems_by_id,
)

router = Router(tags=["operations"])


def _objective(objective: AIObjective) -> AIObjective:
    found: AIObjective = (
        AIObjective.objects.select_related("owner", "annex_c")
        .prefetch_related("systems", "measurements")
        .get(pk=objective.pk)
    )
    return found


def _objective_values(org: Any, values: dict[str, Any]) -> dict[str, Any]:
    if "owner_email" in values:
        values["owner"] = member_user(org, values.pop("owner_email"))
    if "annex_c_urn" in values:
        values["annex_c"] = node_by_urn(values.pop("annex_c_urn"), kind=["objective"])
    if "business_objective_id" in values:
        pk = values.pop("business_objective_id")
        values["business_objective"] = None
        if pk is not None:
            values["business_objective"] = BusinessObjective.objects.filter(
                organisation=org, pk=pk
            ).first()
            if values["business_objective"] is None:
                raise HttpError(400, "No such business objective in this organisation.")
    if "system_ids" in values:
        ids = values.pop("system_ids")
        values["systems"] = systems_by_id(org, ids) if ids is not None else None
    return values


@router.get("/ai-objectives", response=ObjectivePage, summary="AI objectives (filter, paginate)")
def list_objectives(request: AimwellRequest, query: Query[ObjectiveQuery]) -> dict[str, Any]:
    return list_of(querysets.OBJECTIVES, request, query)


@router.post("/ai-objectives", response={201: ObjectiveDetailOut}, summary="Set an AI objective")
def create_objective(request: AimwellRequest, payload: ObjectiveIn) -> Status[AIObjective]:
    m = membership(request, Capability.MANAGE_AIMS)
    values = _objective_values(m.organisation, payload.model_dump())
    objective = objectives.create_objective(m.organisation, actor=request.user, **values)
    return Status(201, _objective(objective))


@router.get("/ai-objectives/{objective_id}", response=ObjectiveDetailOut, summary="An AI objective")
def get_objective(request: AimwellRequest, objective_id: uuid.UUID) -> AIObjective:
    return _objective(get_object(request, AIObjective.objects.all(), objective_id))


@router.patch(
    "/ai-objectives/{objective_id}", response=ObjectiveDetailOut, summary="Change an AI objective"
)
def update_objective(
    request: AimwellRequest, objective_id: uuid.UUID, payload: ObjectivePatch
) -> AIObjective:
    objective = get_object(request, AIObjective.objects.all(), objective_id, write=True)
    values = _objective_values(objective.organisation, payload.model_dump(exclude_unset=True))
    objectives.update_objective(objective, actor=request.user, **values)
    return _objective(objective)


@router.post(
    "/ai-objectives/{objective_id}/measurements",
    response={201: MeasurementOut},
    summary="Record progress: a measurement by hand or a monitoring result",
)
def record_measurement(
    request: AimwellRequest, objective_id: uuid.UUID, payload: MeasurementIn
) -> Status[Any]:
    objective = get_object(request, AIObjective.objects.all(), objective_id, write=True)
    measurement = objectives.record_measurement(
        objective, actor=request.user, **payload.model_dump()
    )
    return Status(201, measurement)
