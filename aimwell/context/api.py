"""REST endpoints of context (4.1, 4.2): issues, interested parties, the organisation's AI roles,
the legal register with applicability per AI system, and objectives. Scope endpoints live in
`api_scope` on the same router; governance has its own (`aimwell.governance.api`, same tag)."""

import uuid
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from aimwell.accounts.request import AimwellRequest
from aimwell.context.edge import manager, reader, values
from aimwell.context.edge import row as _one
from aimwell.context.edge import rows as _list
from aimwell.context.models import (
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
    OrganisationAIRole,
)
from aimwell.context.schemas import (
    AIRoleIn,
    AIRoleOut,
    ApplicabilityIn,
    ApplicabilityOut,
    IssueFilter,
    IssueIn,
    IssueOut,
    IssuePatch,
    LegalFilter,
    LegalIn,
    LegalOut,
    LegalPatch,
    ObjectiveFilter,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    PartyFilter,
    PartyIn,
    PartyOut,
    PartyPatch,
)
from aimwell.context.services import context as services
from aimwell.inventory.choices import AIRole
from aimwell.inventory.models import AISystem

router = Router(tags=["context"])


# Context issues


@router.get("/context/issues", response=list[IssueOut], summary="Internal and external issues")
@paginate(LimitOffsetPagination)
def list_issues(request: AimwellRequest, filters: Query[IssueFilter]) -> QuerySet[ContextIssue]:
    return _list(request, "issues", filters)


@router.post("/context/issues", response={201: IssueOut}, summary="Record an issue")
def create_issue(request: AimwellRequest, payload: IssueIn) -> Status[ContextIssue]:
    org = manager(request).organisation
    issue = services.create_issue(org, actor=request.user, **values(org, payload))
    return Status(201, _one(request, "issues", issue.pk))


@router.get("/context/issues/{issue_id}", response=IssueOut, summary="One issue")
def get_issue(request: AimwellRequest, issue_id: uuid.UUID) -> ContextIssue:
    return _one(request, "issues", issue_id)


@router.patch("/context/issues/{issue_id}", response=IssueOut, summary="Change an issue")
def update_issue(request: AimwellRequest, issue_id: uuid.UUID, payload: IssuePatch) -> ContextIssue:
    issue = _one(request, "issues", issue_id, write=True)
    services.update_issue(
        issue, actor=request.user, **values(issue.organisation, payload, partial=True)
    )
    return _one(request, "issues", issue_id)


@router.delete("/context/issues/{issue_id}", response={204: None}, summary="Delete an issue")
def delete_issue(request: AimwellRequest, issue_id: uuid.UUID) -> Status[None]:
    issue = _one(request, "issues", issue_id, write=True)
    services.delete_issue(issue, actor=request.user)
    return Status(204, None)


# Interested parties


@router.get("/interested-parties", response=list[PartyOut], summary="Interested parties")
@paginate(LimitOffsetPagination)
def list_parties(request: AimwellRequest, filters: Query[PartyFilter]) -> QuerySet[InterestedParty]:
    return _list(request, "parties", filters)


@router.post("/interested-parties", response={201: PartyOut}, summary="Record a party")
def create_party(request: AimwellRequest, payload: PartyIn) -> Status[InterestedParty]:
    org = manager(request).organisation
    party = services.create_party(org, actor=request.user, **values(org, payload))
    return Status(201, _one(request, "parties", party.pk))


@router.get("/interested-parties/{party_id}", response=PartyOut, summary="One party")
def get_party(request: AimwellRequest, party_id: uuid.UUID) -> InterestedParty:
    return _one(request, "parties", party_id)


@router.patch("/interested-parties/{party_id}", response=PartyOut, summary="Change a party")
def update_party(
    request: AimwellRequest, party_id: uuid.UUID, payload: PartyPatch
) -> InterestedParty:
    party = _one(request, "parties", party_id, write=True)
    services.update_party(
        party, actor=request.user, **values(party.organisation, payload, partial=True)
    )
    return _one(request, "parties", party_id)


@router.delete("/interested-parties/{party_id}", response={204: None}, summary="Delete a party")
def delete_party(request: AimwellRequest, party_id: uuid.UUID) -> Status[None]:
    party = _one(request, "parties", party_id, write=True)
    services.delete_party(party, actor=request.user)
    return Status(204, None)


# The organisation's AI roles


def _ai_roles(organisation: Any) -> list[dict[str, Any]]:
    declared = {
        r.role: r.note for r in OrganisationAIRole.objects.filter(organisation=organisation)
    }
    return [
        {"role": role, "label": role.label, "declared": role in declared,
         "note": declared.get(role, "")}
        for role in AIRole
    ]  # fmt: skip


@router.get("/context/ai-roles", response=list[AIRoleOut], summary="The organisation's AI roles")
def list_ai_roles(request: AimwellRequest) -> list[dict[str, Any]]:
    return _ai_roles(reader(request).organisation)


@router.put("/context/ai-roles/{role}", response=AIRoleOut, summary="Declare an AI role")
def set_ai_role(request: AimwellRequest, role: AIRole, payload: AIRoleIn) -> dict[str, Any]:
    org = manager(request).organisation
    services.set_ai_role(org, role, actor=request.user, note=payload.note)
    return next(r for r in _ai_roles(org) if r["role"] == role)


@router.delete("/context/ai-roles/{role}", response={204: None}, summary="Withdraw an AI role")
def remove_ai_role(request: AimwellRequest, role: AIRole) -> Status[None]:
    org = manager(request).organisation
    found = OrganisationAIRole.objects.filter(organisation=org, role=role).first()
    if found is None:
        raise HttpError(404, "The organisation has not declared that role.")
    services.remove_ai_role(found, actor=request.user)
    return Status(204, None)


# Legal, regulatory and contractual requirements


@router.get("/legal-requirements", response=list[LegalOut], summary="The legal register")
@paginate(LimitOffsetPagination)
def list_legal(request: AimwellRequest, filters: Query[LegalFilter]) -> QuerySet[LegalRequirement]:
    return _list(request, "legal", filters)


@router.post("/legal-requirements", response={201: LegalOut}, summary="Record a requirement")
def create_legal(request: AimwellRequest, payload: LegalIn) -> Status[LegalRequirement]:
    org = manager(request).organisation
    req = services.create_legal_requirement(org, actor=request.user, **values(org, payload))
    return Status(201, _one(request, "legal", req.pk))


@router.get("/legal-requirements/{requirement_id}", response=LegalOut, summary="One requirement")
def get_legal(request: AimwellRequest, requirement_id: uuid.UUID) -> LegalRequirement:
    return _one(request, "legal", requirement_id)


@router.patch(
    "/legal-requirements/{requirement_id}", response=LegalOut, summary="Change a requirement"
)
def update_legal(
    request: AimwellRequest, requirement_id: uuid.UUID, payload: LegalPatch
) -> LegalRequirement:
    req = _one(request, "legal", requirement_id, write=True)
    services.update_legal_requirement(
        req, actor=request.user, **values(req.organisation, payload, partial=True)
    )
    return _one(request, "legal", requirement_id)


@router.delete(
    "/legal-requirements/{requirement_id}", response={204: None}, summary="Delete a requirement"
)
def delete_legal(request: AimwellRequest, requirement_id: uuid.UUID) -> Status[None]:
    req = _one(request, "legal", requirement_id, write=True)
    services.delete_legal_requirement(req, actor=request.user)
    return Status(204, None)


def _system(request: AimwellRequest, system_id: uuid.UUID) -> AISystem:
    system = AISystem.objects.filter(
        organisation=request.organisation,
        pk=system_id,
    ).first()
    if system is None:
        raise HttpError(404, "No such AI system.")
    return system


@router.put(
    "/legal-requirements/{requirement_id}/systems/{system_id}",
    response=ApplicabilityOut,
    summary="Record that a requirement applies to an AI system",
)
def set_applicability(
    request: AimwellRequest,
    requirement_id: uuid.UUID,
    system_id: uuid.UUID,
    payload: ApplicabilityIn,
) -> Any:
    req = _one(request, "legal", requirement_id, write=True)
    return services.set_applicability(
        req, _system(request, system_id), actor=request.user, note=payload.note
    )


@router.delete(
    "/legal-requirements/{requirement_id}/systems/{system_id}",
    response={204: None},
    summary="Record that a requirement no longer applies to an AI system",
)
def remove_applicability(
    request: AimwellRequest, requirement_id: uuid.UUID, system_id: uuid.UUID
) -> Status[None]:
    req = _one(request, "legal", requirement_id, write=True)
    services.remove_applicability(req, _system(request, system_id), actor=request.user)
    return Status(204, None)


# Objectives


@router.get("/objectives", response=list[ObjectiveOut], summary="Strategic and business objectives")
@paginate(LimitOffsetPagination)
def list_objectives(
    request: AimwellRequest, filters: Query[ObjectiveFilter]
) -> QuerySet[Objective]:
    return _list(request, "objectives", filters)


@router.post("/objectives", response={201: ObjectiveOut}, summary="Record an objective")
def create_objective(request: AimwellRequest, payload: ObjectiveIn) -> Status[Objective]:
    org = manager(request).organisation
    obj = services.create_objective(org, actor=request.user, **values(org, payload))
    return Status(201, _one(request, "objectives", obj.pk))


@router.get("/objectives/{objective_id}", response=ObjectiveOut, summary="One objective")
def get_objective(request: AimwellRequest, objective_id: uuid.UUID) -> Objective:
    return _one(request, "objectives", objective_id)


@router.patch("/objectives/{objective_id}", response=ObjectiveOut, summary="Change an objective")
def update_objective(
    request: AimwellRequest, objective_id: uuid.UUID, payload: ObjectivePatch
) -> Objective:
    obj = _one(request, "objectives", objective_id, write=True)
    services.update_objective(
        obj, actor=request.user, **values(obj.organisation, payload, partial=True)
    )
    return _one(request, "objectives", objective_id)


@router.delete("/objectives/{objective_id}", response={204: None}, summary="Delete an objective")
def delete_objective(request: AimwellRequest, objective_id: uuid.UUID) -> Status[None]:
    obj = _one(request, "objectives", objective_id, write=True)
    services.delete_objective(obj, actor=request.user)
    return Status(204, None)


from aimwell.context import api_scope  # noqa: E402,F401 (it adds routes here)
