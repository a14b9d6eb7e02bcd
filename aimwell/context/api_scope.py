"""REST endpoints of the AIMS scope (4.3) on the context router: the approved statement and
the open draft, every version, a preview from live data, and the draft's life cycle."""

from typing import Any

from django.db.models import QuerySet
from ninja import Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context.api import router
from aimwell.context.edge import manager, reader
from aimwell.context.models import ScopeVersion
from aimwell.context.querysets import scope_versions_for
from aimwell.context.schemas import (
    ScopeDraftIn,
    ScopeDraftPatch,
    ScopeOverviewOut,
    ScopePreviewOut,
    ScopeVersionBriefOut,
    ScopeVersionOut,
)
from aimwell.context.services import scope as services
from aimwell.core import concurrency


def _draft(membership: Membership) -> ScopeVersion:
    draft = services.current_draft(membership.organisation)
    if draft is None:
        raise HttpError(404, "No draft is open; start one with POST /scope/draft.")
    concurrency.fetched(draft, write=True)  # If-Match on a change of the draft is about it
    return draft


def overview(membership: Membership) -> dict[str, Any]:
    """The approved statement, the draft (for readers of everything) and what changed since."""
    org = membership.organisation
    approved = services.latest_approved(org)
    full = can(membership, Capability.READ_ALL)
    draft = services.current_draft(org) if full else None
    changes: list[str] = []
    if approved is not None and full:
        changes = services.facts_changes(approved.generated_from, services.scope_facts(org))
    return {"approved": approved, "draft": draft, "changes_since_approved": changes}


@router.get("/scope", response=ScopeOverviewOut, summary="The AIMS scope: approved and draft")
def get_scope(request: AimwellRequest) -> dict[str, Any]:
    return overview(reader(request, Capability.READ_PUBLISHED))


@router.get(
    "/scope/versions", response=list[ScopeVersionBriefOut], summary="Every version of the scope"
)
@paginate(LimitOffsetPagination)
def list_scope_versions(request: AimwellRequest) -> QuerySet[ScopeVersion]:
    return scope_versions_for(reader(request, Capability.READ_PUBLISHED))


@router.get("/scope/versions/{number}", response=ScopeVersionOut, summary="One version")
def get_scope_version(request: AimwellRequest, number: int) -> ScopeVersion:
    membership = reader(request, Capability.READ_PUBLISHED)
    version = scope_versions_for(membership).filter(number=number).first()
    if version is None:
        raise HttpError(404, f"No scope version {number}.")
    return version


@router.get(
    "/scope/preview", response=ScopePreviewOut, summary="A scope statement drafted from live data"
)
def preview_scope(request: AimwellRequest) -> dict[str, Any]:
    facts = services.scope_facts(reader(request).organisation)
    return {"text": services.draft_text(facts), "facts": facts}


@router.get("/scope/draft", response=ScopeVersionOut, summary="The open draft")
def get_scope_draft(request: AimwellRequest) -> ScopeVersion:
    return _draft(reader(request))


@router.post("/scope/draft", response={201: ScopeVersionOut}, summary="Start the next draft")
def start_scope_draft(request: AimwellRequest, payload: ScopeDraftIn) -> Status[ScopeVersion]:
    org = manager(request).organisation
    draft = services.start_draft(org, actor=request.user, from_live_data=payload.from_live_data)
    return Status(201, draft)


@router.patch("/scope/draft", response=ScopeVersionOut, summary="Edit the open draft")
def update_scope_draft(request: AimwellRequest, payload: ScopeDraftPatch) -> ScopeVersion:
    draft = _draft(manager(request))
    return services.update_draft(draft, actor=request.user, **payload.model_dump())


@router.post(
    "/scope/draft/regenerate",
    response=ScopeVersionOut,
    summary="Replace the draft's text with one drafted from live data",
)
def regenerate_scope_draft(request: AimwellRequest) -> ScopeVersion:
    draft = _draft(manager(request))
    return services.regenerate_draft(draft, actor=request.user)


@router.post(
    "/scope/draft/approve",
    response=ScopeVersionOut,
    summary="Approve the draft into an immutable version (admins and AIMS managers)",
)
def approve_scope_draft(request: AimwellRequest) -> ScopeVersion:
    membership = manager(request)
    draft = _draft(membership)
    return services.approve_draft(draft, membership=membership, actor=request.user)


@router.delete("/scope/draft", response={204: None}, summary="Discard the open draft")
def discard_scope_draft(request: AimwellRequest) -> Status[None]:
    draft = _draft(manager(request))
    services.discard_draft(draft, actor=request.user)
    return Status(204, None)
