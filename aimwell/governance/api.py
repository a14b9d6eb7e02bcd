"""REST endpoints of governance (5.1, 5.3, A.3.2), under the context tag as before the split:
principles and their links, AIMS roles, RACI and its matrix, oversight bodies with meetings and
decisions, and leadership commitments. Service refusals are DomainErrors (the API's handler)."""

import uuid
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.context.edge import REFERENCES, References, fetch, manager, one, reader, row, rows
from aimwell.context.edge import values as payload_values
from aimwell.context.querysets import filtered
from aimwell.governance import querysets, raci, services
from aimwell.governance.models import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    Meeting,
    OversightBody,
    Principle,
    PrincipleLink,
    RaciEntry,
)
from aimwell.governance.schemas import (
    AIMSRoleIn,
    AIMSRoleOut,
    AIMSRolePatch,
    BodyFilter,
    BodyIn,
    BodyOut,
    BodyPatch,
    CommitmentFilter,
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    DecisionFilter,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    NameFilter,
    PrincipleFilter,
    PrincipleIn,
    PrincipleLinkIn,
    PrincipleLinkOut,
    PrincipleOut,
    PrinciplePatch,
    RaciFilter,
    RaciIn,
    RaciMatrixOut,
    RaciOut,
)
from aimwell.inventory.models import AISystem

router = Router(tags=["context"])

# A decision names its meeting by id, as the context payloads name people and systems.
_REFERENCES: References = {
    **REFERENCES,
    "meeting_id": ("meeting", one(Meeting, organisation=lambda org: org)),
}


def values(org: Any, payload: Any, *, partial: bool = False) -> dict[str, Any]:
    return payload_values(org, payload, partial=partial, references=_REFERENCES)


# Principles: staff read the adopted ones.


def _principle(request: AimwellRequest, pk: uuid.UUID, *, write: bool = False) -> Principle:
    membership = reader(request, Capability.READ_PUBLISHED)
    qs = (
        querysets.principles_for(membership)
        .prefetch_related("catalog_nodes")
        .select_related("owner")
    )
    return fetch(request, qs, pk, write=write, capability=Capability.READ_PUBLISHED)


@router.get("/principles", response=list[PrincipleOut], summary="Responsible-AI principles")
@paginate(LimitOffsetPagination)
def list_principles(
    request: AimwellRequest, filters: Query[PrincipleFilter]
) -> QuerySet[Principle]:
    membership = reader(request, Capability.READ_PUBLISHED)
    return filtered(
        querysets.PRINCIPLES,
        membership.organisation,
        filters.model_dump(),
        base=querysets.principles_for(membership),
    )


@router.post("/principles", response={201: PrincipleOut}, summary="Adopt or draft a principle")
def create_principle(request: AimwellRequest, payload: PrincipleIn) -> Status[Principle]:
    org = manager(request).organisation
    obj = services.create_principle(org, actor=request.user, **values(org, payload))
    return Status(201, _principle(request, obj.pk))


@router.get("/principles/{principle_id}", response=PrincipleOut, summary="One principle")
def get_principle(request: AimwellRequest, principle_id: uuid.UUID) -> Principle:
    return _principle(request, principle_id)


@router.patch("/principles/{principle_id}", response=PrincipleOut, summary="Change a principle")
def update_principle(
    request: AimwellRequest, principle_id: uuid.UUID, payload: PrinciplePatch
) -> Principle:
    obj = _principle(request, principle_id, write=True)
    services.update_principle(
        obj, actor=request.user, **values(obj.organisation, payload, partial=True)
    )
    return _principle(request, principle_id)


@router.get(
    "/principles/{principle_id}/links",
    response=list[PrincipleLinkOut],
    summary="What a principle is linked to",
)
def list_principle_links(request: AimwellRequest, principle_id: uuid.UUID) -> list[PrincipleLink]:
    return list(_principle(request, principle_id).links.all())


@router.post(
    "/principles/{principle_id}/links",
    response={201: PrincipleLinkOut},
    summary="Link a principle to an object (a policy, an objective, a control, an AI system)",
)
def link_principle(
    request: AimwellRequest, principle_id: uuid.UUID, payload: PrincipleLinkIn
) -> Status[PrincipleLink]:
    obj = _principle(request, principle_id, write=True)
    target = services.resolve_link_target(obj.organisation, payload.object_type, payload.object_id)
    link = services.link_principle(obj, target, actor=request.user)
    return Status(201, link)


@router.delete(
    "/principles/{principle_id}/links/{link_id}", response={204: None}, summary="Remove a link"
)
def unlink_principle(request: AimwellRequest, principle_id: uuid.UUID, link_id: uuid.UUID) -> Any:
    obj = _principle(request, principle_id, write=True)
    link = obj.links.filter(pk=link_id).first()
    if link is None:
        raise HttpError(404, "No such link.")
    services.unlink_principle(link, actor=request.user)
    return Status(204, None)


# AIMS roles


@router.get("/aims-roles", response=list[AIMSRoleOut], summary="AIMS roles and their holders")
@paginate(LimitOffsetPagination)
def list_aims_roles(request: AimwellRequest, filters: Query[NameFilter]) -> QuerySet[AIMSRole]:
    return rows(request, querysets.ROLES, filters)


@router.post("/aims-roles", response={201: AIMSRoleOut}, summary="Define an AIMS role")
def create_aims_role(request: AimwellRequest, payload: AIMSRoleIn) -> Status[AIMSRole]:
    org = manager(request).organisation
    obj = services.create_aims_role(org, actor=request.user, **values(org, payload))
    return Status(201, row(request, querysets.ROLES, obj.pk))


@router.get("/aims-roles/{role_id}", response=AIMSRoleOut, summary="One AIMS role")
def get_aims_role(request: AimwellRequest, role_id: uuid.UUID) -> AIMSRole:
    role: AIMSRole = row(request, querysets.ROLES, role_id)
    return role


@router.patch("/aims-roles/{role_id}", response=AIMSRoleOut, summary="Change an AIMS role")
def update_aims_role(
    request: AimwellRequest, role_id: uuid.UUID, payload: AIMSRolePatch
) -> AIMSRole:
    obj = row(request, querysets.ROLES, role_id, write=True)
    services.update_aims_role(
        obj, actor=request.user, **values(obj.organisation, payload, partial=True)
    )
    role: AIMSRole = row(request, querysets.ROLES, role_id)
    return role


@router.delete("/aims-roles/{role_id}", response={204: None}, summary="Delete an AIMS role")
def delete_aims_role(request: AimwellRequest, role_id: uuid.UUID) -> Status[None]:
    obj = row(request, querysets.ROLES, role_id, write=True)
    services.delete_aims_role(obj, actor=request.user)
    return Status(204, None)


# RACI


@router.get("/raci", response=list[RaciOut], summary="RACI entries")
@paginate(LimitOffsetPagination)
def list_raci(request: AimwellRequest, filters: Query[RaciFilter]) -> QuerySet[RaciEntry]:
    membership = reader(request)
    return raci.entries(membership.organisation, **filters.model_dump())


@router.post("/raci", response={201: RaciOut}, summary="Set a person's R, A, C or I")
def set_raci(request: AimwellRequest, payload: RaciIn) -> Status[RaciEntry]:
    org = manager(request).organisation
    system = None
    if payload.system_id is not None:
        system = AISystem.objects.filter(organisation=org, pk=payload.system_id).first()
        if system is None:
            raise HttpError(400, f"system_id: no such AI system ({payload.system_id}).")
    member = raci.member_of(org, payload.member_id)
    if member is None:
        raise HttpError(400, f"member_id: no such member ({payload.member_id}).")
    entry = services.set_raci(
        org,
        member=member,
        letter=payload.letter.value,
        system=system,
        process=payload.process.value if payload.process else "",
        note=payload.note,
        actor=request.user,
    )
    return Status(201, raci.entries(org).get(pk=entry.pk))


@router.get("/raci/matrix", response=RaciMatrixOut, summary="The RACI matrix")
def raci_matrix(request: AimwellRequest, axis: str = "systems") -> dict[str, Any]:
    membership = reader(request)
    if axis not in raci.AXES:
        raise HttpError(400, "axis: choose systems or processes.")
    return raci.matrix(membership.organisation, axis).as_dict()


@router.delete("/raci/{entry_id}", response={204: None}, summary="Remove a RACI entry")
def remove_raci(request: AimwellRequest, entry_id: uuid.UUID) -> Status[None]:
    entry = fetch(request, RaciEntry.objects.all(), entry_id, write=True)
    services.remove_raci(entry, actor=request.user)
    return Status(204, None)


# Oversight bodies


@router.get("/oversight-bodies", response=list[BodyOut], summary="Oversight bodies")
@paginate(LimitOffsetPagination)
def list_bodies(request: AimwellRequest, filters: Query[BodyFilter]) -> QuerySet[OversightBody]:
    return rows(request, querysets.BODIES, filters)


@router.post("/oversight-bodies", response={201: BodyOut}, summary="Set up an oversight body")
def create_body(request: AimwellRequest, payload: BodyIn) -> Status[OversightBody]:
    org = manager(request).organisation
    body = services.create_body(org, actor=request.user, **values(org, payload))
    return Status(201, _body(request, body.pk))


def _body(request: AimwellRequest, pk: uuid.UUID, *, write: bool = False) -> OversightBody:
    spec = querysets.BODIES
    qs: QuerySet[OversightBody] = (
        OversightBody.objects.select_related(*spec.related)
        .prefetch_related(*spec.prefetch)
        .annotate(**spec.annotate)
    )
    return fetch(request, qs, pk, write=write)


@router.get("/oversight-bodies/{body_id}", response=BodyOut, summary="One oversight body")
def get_body(request: AimwellRequest, body_id: uuid.UUID) -> OversightBody:
    return _body(request, body_id)


@router.patch("/oversight-bodies/{body_id}", response=BodyOut, summary="Change an oversight body")
def update_body(request: AimwellRequest, body_id: uuid.UUID, payload: BodyPatch) -> OversightBody:
    body = _body(request, body_id, write=True)
    services.update_body(
        body, actor=request.user, **values(body.organisation, payload, partial=True)
    )
    return _body(request, body_id)


_MEETINGS: QuerySet[Meeting] = Meeting.objects.prefetch_related("attendees__user")


@router.get(
    "/oversight-bodies/{body_id}/meetings", response=list[MeetingOut], summary="A body's meetings"
)
@paginate(LimitOffsetPagination)
def list_meetings(request: AimwellRequest, body_id: uuid.UUID) -> QuerySet[Meeting]:
    body = _body(request, body_id)
    return _MEETINGS.filter(body=body).order_by("-held_on", "pk")


@router.post(
    "/oversight-bodies/{body_id}/meetings", response={201: MeetingOut}, summary="Record a meeting"
)
def create_meeting(request: AimwellRequest, body_id: uuid.UUID, payload: MeetingIn) -> Any:
    body = _body(request, body_id, write=True)
    meeting = services.record_meeting(
        body, actor=request.user, **values(body.organisation, payload)
    )
    return Status(201, _MEETINGS.get(pk=meeting.pk))


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One meeting")
def get_meeting(request: AimwellRequest, meeting_id: uuid.UUID) -> Meeting:
    return fetch(request, _MEETINGS.all(), meeting_id)


@router.patch("/meetings/{meeting_id}", response=MeetingOut, summary="Change a meeting's record")
def update_meeting(
    request: AimwellRequest, meeting_id: uuid.UUID, payload: MeetingPatch
) -> Meeting:
    meeting = fetch(request, _MEETINGS.all(), meeting_id, write=True)
    services.update_meeting(
        meeting, actor=request.user, **values(meeting.organisation, payload, partial=True)
    )
    return _MEETINGS.get(pk=meeting_id)


_DECISIONS: QuerySet[Decision] = Decision.objects.select_related("follow_up_owner__user")


@router.get(
    "/oversight-bodies/{body_id}/decisions",
    response=list[DecisionOut],
    summary="A body's decisions",
)
@paginate(LimitOffsetPagination)
def list_decisions(
    request: AimwellRequest, body_id: uuid.UUID, filters: Query[DecisionFilter]
) -> QuerySet[Decision]:
    body = _body(request, body_id)
    return filtered(
        querysets.DECISIONS,
        body.organisation,
        filters.model_dump(),
        base=Decision.objects.filter(body=body),
    )


@router.post(
    "/oversight-bodies/{body_id}/decisions",
    response={201: DecisionOut},
    summary="Record a decision",
)
def create_decision(request: AimwellRequest, body_id: uuid.UUID, payload: DecisionIn) -> Any:
    body = _body(request, body_id, write=True)
    decision = services.record_decision(
        body, actor=request.user, **values(body.organisation, payload)
    )
    return Status(201, _DECISIONS.get(pk=decision.pk))


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="One decision")
def get_decision(request: AimwellRequest, decision_id: uuid.UUID) -> Decision:
    return fetch(request, _DECISIONS.all(), decision_id)


@router.patch("/decisions/{decision_id}", response=DecisionOut, summary="Change a decision")
def update_decision(
    request: AimwellRequest, decision_id: uuid.UUID, payload: DecisionPatch
) -> Decision:
    decision = fetch(request, _DECISIONS.all(), decision_id, write=True)
    services.update_decision(
        decision, actor=request.user, **values(decision.organisation, payload, partial=True)
    )
    return _DECISIONS.get(pk=decision_id)


# Leadership commitment


@router.get(
    "/leadership-commitments", response=list[CommitmentOut], summary="Leadership commitments"
)
@paginate(LimitOffsetPagination)
def list_commitments(
    request: AimwellRequest, filters: Query[CommitmentFilter]
) -> QuerySet[LeadershipCommitment]:
    return rows(request, querysets.COMMITMENTS, filters)


@router.post(
    "/leadership-commitments", response={201: CommitmentOut}, summary="Record a commitment"
)
def create_commitment(request: AimwellRequest, payload: CommitmentIn) -> Any:
    org = manager(request).organisation
    obj = services.record_commitment(org, actor=request.user, **values(org, payload))
    return Status(201, row(request, querysets.COMMITMENTS, obj.pk))


@router.get(
    "/leadership-commitments/{commitment_id}", response=CommitmentOut, summary="One commitment"
)
def get_commitment(request: AimwellRequest, commitment_id: uuid.UUID) -> LeadershipCommitment:
    commitment: LeadershipCommitment = row(request, querysets.COMMITMENTS, commitment_id)
    return commitment


@router.patch(
    "/leadership-commitments/{commitment_id}",
    response=CommitmentOut,
    summary="Change a commitment's record",
)
def update_commitment(
    request: AimwellRequest, commitment_id: uuid.UUID, payload: CommitmentPatch
) -> LeadershipCommitment:
    obj = row(request, querysets.COMMITMENTS, commitment_id, write=True)
    services.update_commitment(
        obj, actor=request.user, **values(obj.organisation, payload, partial=True)
    )
    commitment: LeadershipCommitment = row(request, querysets.COMMITMENTS, commitment_id)
    return commitment
