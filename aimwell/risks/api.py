"""REST endpoints of the risk method, the risk register and treatment."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.inventory.models import AISystem
from aimwell.risks import edge, exports, querysets
from aimwell.risks.models import Risk, RiskMethod, SelectedControl, TreatmentAction
from aimwell.risks.presenters import risk_out
from aimwell.risks.schemas import (
    AcceptIn,
    ActionIn,
    ActionOut,
    ActionPatch,
    CloseIn,
    HeatMapOut,
    MethodIn,
    MethodOut,
    ReassessIn,
    ResidualIn,
    RiskDetailOut,
    RiskIn,
    RiskPage,
    RiskPatch,
    SelectedOut,
    SelectIn,
    TreatmentIn,
)
from aimwell.risks.services import method as methods
from aimwell.risks.services import register, treatment

router = Router(tags=["risks"])
T = TypeVar("T")


def reader(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.READ_ALL)


def _risk(request: AimwellRequest, risk_id: uuid.UUID, *, write: bool = False) -> tuple[Risk, Any]:
    return get_for_user(
        request.user,
        Risk.objects.select_related("system", "owner", "method", "risk_source", "objective"),
        risk_id,
        organisation=request.organisation,
        write=write,
    )


def _system(organisation: Any, system_id: uuid.UUID | None) -> AISystem | None:
    if system_id is None:
        return None
    system = AISystem.objects.filter(organisation=organisation, pk=system_id).first()
    if system is None:
        raise HttpError(400, "No such AI system in this organisation.")
    return system


class RiskQuery(Schema):
    q: str | None = None
    system: str | None = None
    status: str | None = None
    band: str | None = None
    owner: str | None = None
    overdue: bool | None = None
    needs_review: bool | None = None
    control: str | None = Field(
        None,
        description="Only open risks whose treatment selects this control (its SoA key): "
        "the risks that justify it in the SoA.",
    )
    sort: str = "reference"
    page: int = 1
    page_size: int = 25


# Method ----------------------------------------------------------------------------------------


@router.get("/risk-methods", response=list[MethodOut], summary="Risk method versions")
def list_methods(request: AimwellRequest) -> Any:
    membership = reader(request)
    return RiskMethod.objects.filter(organisation=membership.organisation).order_by("-version")


@router.post(
    "/risk-methods",
    response={201: MethodOut},
    summary="Publish a new version of the risk method (defaults: 5 x 5)",
)
def publish_method(request: AimwellRequest, payload: MethodIn) -> Status[Any]:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    spec = payload.model_dump(exclude_none=True)
    method = methods.publish_method(membership.organisation, actor=request.user, **spec)
    return Status(201, method)


@router.get("/risk-methods/{method_id}", response=MethodOut, summary="One risk method version")
def get_method(request: AimwellRequest, method_id: uuid.UUID) -> Any:
    method, _ = get_for_user(
        request.user,
        RiskMethod.objects.all(),
        method_id,
        organisation=request.organisation,
    )
    return method


# Register --------------------------------------------------------------------------------------


@router.get("/risks", response=RiskPage, summary="The risk register (filter, sort, paginate)")
def list_risks(request: AimwellRequest, query: Query[RiskQuery]) -> dict[str, Any]:
    membership = reader(request)
    filters = querysets.RiskFilters(
        q=query.q,
        system=query.system,
        status=query.status,
        band=query.band,
        owner=query.owner,
        overdue=query.overdue,
        needs_review=query.needs_review,
        control=query.control,
        sort=query.sort,
    )
    page = querysets.risks_page(membership.organisation, filters, query.page, query.page_size)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": list(page.object_list),
    }


@router.get(
    "/risks/heatmap", response=HeatMapOut, summary="Open risks per likelihood x consequence"
)
def heat_map(request: AimwellRequest, residual: bool = False) -> dict[str, Any]:
    membership = reader(request)
    method = querysets.current_method(membership.organisation)
    data = querysets.heat_map(membership.organisation, method, residual=residual)
    return {
        "method_version": method.version if method else None,
        "residual": residual,
        "cells": [cell for row in data["rows"] for cell in row["cells"]],
    }


@router.get("/risks/export", summary="The risk register with treatment plan as xlsx, PDF or CSV")
def export_risks(request: AimwellRequest, format: str = "xlsx") -> HttpResponse:
    membership = reader(request)
    if format not in ("xlsx", "pdf", "csv"):
        raise HttpError(400, "Export as xlsx, pdf or csv.")
    return exports.response(membership.organisation, format)


@router.post("/risks", response={201: RiskDetailOut}, summary="Identify and assess a risk")
def create_risk(request: AimwellRequest, payload: RiskIn) -> Status[Any]:
    membership = require(request.membership, Capability.CONTRIBUTE)
    org = membership.organisation
    values = payload.model_dump()

    def create() -> Risk:
        return register.create_risk(
            org,
            actor=request.user,
            title=values["title"],
            description=values["description"],
            system=_system(org, values["system_id"]),
            risk_source=edge.catalog_node(values["risk_source"], "risk_source"),
            custom_source=values["custom_source"],
            objective=edge.catalog_node(values["objective"], "objective"),
            objective_text=values["objective_text"],
            causes=values["causes"],
            consequences=values["consequences"],
            likelihood=values["likelihood"],
            existing_controls=values["existing_controls"],
            owner=edge.member_user(org, values["owner_email"]) or request.user,
            review_date=values["review_date"],
        )

    return Status(201, risk_out(create()))


@router.get("/risks/{risk_id}", response=RiskDetailOut, summary="One risk with its history")
def get_risk(request: AimwellRequest, risk_id: uuid.UUID) -> dict[str, Any]:
    risk, _ = _risk(request, risk_id)
    return risk_out(risk)


@router.patch("/risks/{risk_id}", response=RiskDetailOut, summary="Change a risk's description")
def update_risk(request: AimwellRequest, risk_id: uuid.UUID, payload: RiskPatch) -> dict[str, Any]:
    risk, membership = _risk(request, risk_id, write=True)
    org = membership.organisation
    changes = payload.model_dump(exclude_unset=True)

    def update() -> Risk:
        if "system_id" in changes:
            changes["system"] = _system(org, changes.pop("system_id"))
        if "risk_source" in changes:
            changes["risk_source"] = edge.catalog_node(changes["risk_source"], "risk_source")
        if "objective" in changes:
            changes["objective"] = edge.catalog_node(changes["objective"], "objective")
        if "owner_email" in changes:
            changes["owner"] = edge.member_user(org, changes.pop("owner_email"))
        return register.update_risk(risk, actor=request.user, **changes)

    return risk_out(update())


@router.post("/risks/{risk_id}/reassess", response=RiskDetailOut, summary="Reassess a risk")
def reassess(request: AimwellRequest, risk_id: uuid.UUID, payload: ReassessIn) -> dict[str, Any]:
    risk, _ = _risk(request, risk_id, write=True)
    data = payload.model_dump()
    register.reassess(
        risk,
        actor=request.user,
        likelihood=data["likelihood"],
        consequences=data["consequences"],
        note=data["note"],
    )
    return risk_out(risk)


@router.put("/risks/{risk_id}/treatment", response=RiskDetailOut, summary="Decide the treatment")
def set_treatment(request: AimwellRequest, risk_id: uuid.UUID, payload: TreatmentIn) -> Any:
    risk, _ = _risk(request, risk_id, write=True)
    treatment.set_treatment(risk, actor=request.user, option=payload.option, plan=payload.plan)
    return risk_out(risk)


@router.post("/risks/{risk_id}/residual", response=RiskDetailOut, summary="Score the residual risk")
def residual(request: AimwellRequest, risk_id: uuid.UUID, payload: ResidualIn) -> Any:
    risk, _ = _risk(request, risk_id, write=True)
    treatment.assess_residual(risk, actor=request.user, **payload.model_dump())
    return risk_out(risk)


@router.post(
    "/risks/{risk_id}/accept",
    response=RiskDetailOut,
    summary="Accept the residual risk (within your risk-acceptance authority)",
)
def accept(request: AimwellRequest, risk_id: uuid.UUID, payload: AcceptIn) -> Any:
    risk, membership = _risk(request, risk_id)
    if risk.residual_level is None:
        raise HttpError(400, "Score the residual risk before accepting it.")
    refusal = treatment.acceptance_refusal(membership, risk)
    if refusal:
        raise PermissionDenied(refusal)
    treatment.accept_residual(risk, actor=request.user, membership=membership, note=payload.note)
    return risk_out(risk)


@router.post("/risks/{risk_id}/close", response=RiskDetailOut, summary="Close a risk")
def close(request: AimwellRequest, risk_id: uuid.UUID, payload: CloseIn) -> Any:
    risk, _ = _risk(request, risk_id, write=True)
    register.close_risk(risk, actor=request.user, note=payload.note)
    return risk_out(risk)


@router.post(
    "/risks/{risk_id}/actions", response={201: ActionOut}, summary="Add a treatment action"
)
def add_action(request: AimwellRequest, risk_id: uuid.UUID, payload: ActionIn) -> Status[Any]:
    risk, membership = _risk(request, risk_id, write=True)
    data = payload.model_dump()

    def add() -> TreatmentAction:
        owner = edge.member_user(membership.organisation, data.pop("owner_email"))
        return treatment.add_action(risk, actor=request.user, owner=owner, **data)

    return Status(201, add())


@router.patch(
    "/treatment-actions/{action_id}", response=ActionOut, summary="Change a treatment action"
)
def update_action(request: AimwellRequest, action_id: uuid.UUID, payload: ActionPatch) -> Any:
    action, membership = get_for_user(
        request.user,
        TreatmentAction.objects.select_related("risk", "owner"),
        action_id,
        organisation=request.organisation,
        write=True,
    )
    changes = payload.model_dump(exclude_unset=True)

    def update() -> TreatmentAction:
        if "owner_email" in changes:
            changes["owner"] = edge.member_user(membership.organisation, changes.pop("owner_email"))
        return treatment.update_action(action, actor=request.user, **changes)

    return update()


@router.post(
    "/risks/{risk_id}/controls",
    response={201: SelectedOut},
    summary="Select a control for the treatment (Annex A or own)",
)
def select_control(request: AimwellRequest, risk_id: uuid.UUID, payload: SelectIn) -> Status[Any]:
    from aimwell.controls.soa import find_control

    risk, membership = _risk(request, risk_id, write=True)
    node, custom = find_control(membership.organisation, payload.control)
    if node is None and custom is None:
        raise HttpError(400, f"No control {payload.control}.")
    selection = treatment.select_control(
        risk, actor=request.user, node=node, custom=custom, rationale=payload.rationale
    )
    return Status(201, selection)


@router.delete(
    "/risks/{risk_id}/controls/{selection_id}",
    response=RiskDetailOut,
    summary="Remove a control from the treatment",
)
def deselect_control(request: AimwellRequest, risk_id: uuid.UUID, selection_id: uuid.UUID) -> Any:
    risk, _ = _risk(request, risk_id, write=True)
    selection = SelectedControl.objects.filter(risk=risk, pk=selection_id).first()
    if selection is None:
        raise HttpError(404, "Not found.")
    treatment.deselect_control(selection, actor=request.user)
    return risk_out(risk)
