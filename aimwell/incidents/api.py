"""REST API of AI incidents and concerns (under /api/v1/, tagged "operations" as before)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from ninja import Query, Router, Status

from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.improvement.models import Action, Nonconformity
from aimwell.improvement.schemas import NonconformityDetailOut
from aimwell.incidents import querysets
from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern, Incident
from aimwell.incidents.schemas import (
    AuthorityReportIn,
    CodeIn,
    ConcernIn,
    ConcernOut,
    ConcernPage,
    ConcernQuery,
    ConcernReceipt,
    ConcernStatusOut,
    IncidentDetailOut,
    IncidentIn,
    IncidentPage,
    IncidentPatch,
    IncidentQuery,
    RaiseNCIn,
    TriageIn,
)
from aimwell.operations.rest import (
    get_object,
    list_of,
    membership,
    system_by_id,
    systems_by_id,
)

router = Router(tags=["operations"])


def _incident(incident: Incident) -> Incident:
    found: Incident = (
        Incident.objects.select_related("owner").prefetch_related("systems").get(pk=incident.pk)
    )
    return found


def _incident_for_write(request: AimwellRequest, incident_id: uuid.UUID) -> Incident:
    return get_object(request, Incident.objects.all(), incident_id, write=True)  # type: ignore[no-any-return]


@router.get("/incidents", response=IncidentPage, summary="AI incidents (filter, paginate)")
def list_incidents(request: AimwellRequest, query: Query[IncidentQuery]) -> dict[str, Any]:
    return list_of(querysets.INCIDENTS, request, query)


@router.post("/incidents", response={201: IncidentDetailOut}, summary="Record an AI incident")
def record_incident(request: AimwellRequest, payload: IncidentIn) -> Status[Incident]:
    m = membership(request, Capability.CONTRIBUTE)
    org = m.organisation
    values = payload.model_dump()
    values["systems"] = systems_by_id(org, values.pop("system_ids"))
    email = values.pop("owner_email")
    values["owner"] = member_user(org, email) if email else request.user
    values["serious_kind"] = values["serious_kind"] or ""
    incident = incidents.record_incident(org, actor=request.user, **values)
    return Status(201, _incident(incident))


@router.get("/incidents/{incident_id}", response=IncidentDetailOut, summary="An AI incident")
def get_incident(request: AimwellRequest, incident_id: uuid.UUID) -> Incident:
    return _incident(get_object(request, Incident.objects.all(), incident_id))


@router.patch(
    "/incidents/{incident_id}", response=IncidentDetailOut, summary="Change an AI incident"
)
def update_incident(
    request: AimwellRequest, incident_id: uuid.UUID, payload: IncidentPatch
) -> Incident:
    incident = _incident_for_write(request, incident_id)
    org = incident.organisation
    changes = payload.model_dump(exclude_unset=True)
    ids = changes.pop("system_ids", None)
    if "owner_email" in changes:
        changes["owner"] = member_user(org, changes.pop("owner_email"))
    if "serious_kind" in changes:
        changes["serious_kind"] = changes["serious_kind"] or ""
    incidents.update_incident(incident, actor=request.user, **changes)
    if ids is not None:
        from aimwell.operations.writes import set_related

        set_related(
            incident,
            "systems",
            systems_by_id(org, ids),
            actor=request.user,
            action="incident.systems_changed",
        )
    return _incident(incident)


@router.post(
    "/incidents/{incident_id}/authority-report",
    response=IncidentDetailOut,
    summary="Record the report of a serious incident to the market surveillance authority",
)
def authority_report(
    request: AimwellRequest, incident_id: uuid.UUID, payload: AuthorityReportIn
) -> Incident:
    incident = _incident_for_write(request, incident_id)
    incidents.record_authority_report(incident, actor=request.user, **payload.model_dump())
    return _incident(incident)


@router.post(
    "/incidents/{incident_id}/nonconformity",
    response={201: NonconformityDetailOut},
    summary="Open a nonconformity from an incident",
)
def incident_nonconformity(
    request: AimwellRequest, incident_id: uuid.UUID, payload: RaiseNCIn
) -> Status[Nonconformity]:
    incident = _incident_for_write(request, incident_id)
    nc = incidents.open_nonconformity_for_incident(
        incident,
        actor=request.user,
        title=payload.title,
        owner=member_user(incident.organisation, payload.owner_email),
        due_date=payload.due_date,
    )
    return Status(201, _nc(nc))


def _nc(nc: Nonconformity) -> Nonconformity:
    found: Nonconformity = (
        Nonconformity.objects.select_related("owner", "requirement", "verified_by")
        .prefetch_related("systems", Prefetch("actions", Action.objects.select_related("owner")))
        .get(pk=nc.pk)
    )
    return found


def _handler(request: AimwellRequest) -> Any:
    return membership(request, Capability.MANAGE_AIMS)


def _concern(request: AimwellRequest, concern_id: uuid.UUID) -> Concern:
    _handler(request)
    found: Concern = get_object(
        request, Concern.objects.select_related("system", "handler", "reporter"), concern_id
    )
    return found


@router.post(
    "/concerns",
    response={201: ConcernReceipt},
    summary="Report a concern about an AI system, optionally anonymously",
)
def report_concern(request: AimwellRequest, payload: ConcernIn) -> Status[dict[str, Any]]:
    m = membership(request, Capability.REPORT_CONCERN)
    concern, code = incidents.report_concern(
        m.organisation,
        reporter=request.user,
        category=payload.category,
        description=payload.description,
        system=system_by_id(m.organisation, payload.system_id),
        anonymous=payload.anonymous,
    )
    return Status(201, {"id": concern.pk, "reference": concern.reference, "follow_up_code": code})


@router.get("/concerns", response=ConcernPage, summary="Concerns to triage (handlers only)")
def list_concerns(request: AimwellRequest, query: Query[ConcernQuery]) -> dict[str, Any]:
    return list_of(querysets.CONCERNS, request, query, capability=Capability.MANAGE_AIMS)


@router.get(
    "/concerns/mine", response=list[ConcernStatusOut], summary="Concerns I reported by name"
)
def my_concerns(request: AimwellRequest) -> list[Concern]:
    m = membership(request, Capability.REPORT_CONCERN)
    return list(
        Concern.objects.filter(organisation=m.organisation, reporter_id=request.user.pk).order_by(
            "-received_on", "-reference"
        )
    )


@router.post(
    "/concerns/status",
    response=ConcernStatusOut,
    summary="Follow a concern with its follow-up code (works for anonymous concerns)",
)
def concern_status(request: AimwellRequest, payload: CodeIn) -> Concern:
    m = membership(request, Capability.REPORT_CONCERN)
    concern = incidents.concern_by_code(m.organisation, payload.code)
    if concern is None:
        raise Http404("No concern with that code.")
    return concern


@router.get("/concerns/{concern_id}", response=ConcernOut, summary="A concern (handlers only)")
def get_concern(request: AimwellRequest, concern_id: uuid.UUID) -> Concern:
    return _concern(request, concern_id)


@router.post(
    "/concerns/{concern_id}/triage", response=ConcernOut, summary="Triage or close a concern"
)
def triage_concern(request: AimwellRequest, concern_id: uuid.UUID, payload: TriageIn) -> Concern:
    concern = _concern(request, concern_id)
    values = payload.model_dump()
    values["handler"] = member_user(concern.organisation, values.pop("handler_email"))
    incidents.triage_concern(concern, actor=request.user, **values)
    return concern
