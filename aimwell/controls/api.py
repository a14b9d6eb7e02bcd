"""REST endpoints of the Statement of Applicability, own controls, the baseline self-assessment
and readiness."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.lookups import member_user
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can_write
from aimwell.catalog.models import RequirementNode
from aimwell.controls import exports, readiness, services, soa
from aimwell.controls.models import BaselineEntry, SoAVersion
from aimwell.controls.schemas import (
    BaselineIn,
    BaselineOut,
    CustomControlIn,
    CustomControlOut,
    DiffOut,
    OverrideIn,
    ReadinessOut,
    SnapshotOut,
    SoAOut,
    SoAPatch,
    SoARowOut,
    VersionDetailOut,
    VersionIn,
    VersionOut,
)
from aimwell.core import concurrency

router = Router(tags=["controls and readiness"])


def _reader(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.READ_ALL)


def _manager(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.MANAGE_AIMS)


def _top(top: int) -> int:
    if not 0 <= top <= soa.API_TOP_MAX:
        raise HttpError(
            400,
            f"top names at most {soa.API_TOP_MAX} selecting risks per control; list them all "
            "with /api/v1/risks?control=<key>.",
        )
    return top


def _row(organisation: Any, control: str, top: int = soa.PAGE_TOP) -> soa.SoARow:
    node, custom = soa.find_control(organisation, control)
    found = node or custom
    key = str(found.pk) if found is not None else None
    row = next((r for r in soa.kept_rows(organisation, top=top) if r.key == key), None)
    if row is None:
        raise HttpError(404, "Not found.")
    if row.entry is not None:
        concurrency.fetched(row.entry, write=True)  # If-Match on a decision is about its entry
    return row


@router.get("/soa", response=SoAOut, summary="The Statement of Applicability, derived")
def get_soa(
    request: AimwellRequest, inconsistent: bool = False, top: int = soa.PAGE_TOP
) -> dict[str, Any]:
    """Each control names its first `top` selecting risks by reference (at most 100) and counts
    them all in `selected_count`; `/api/v1/risks?control=<key>` lists every one, paginated."""
    membership = _reader(request)
    rows = soa.kept_rows(membership.organisation, top=_top(top))
    summary = soa.summary(rows)
    if inconsistent:
        rows = [r for r in rows if r.inconsistencies]
    return {"summary": summary, "rows": rows}


@router.get("/soa/export", summary="The SoA as xlsx, PDF or CSV")
def export_soa(request: AimwellRequest, format: str = "xlsx") -> HttpResponse:
    membership = _reader(request)
    if format not in ("xlsx", "pdf", "csv"):
        raise HttpError(400, "Export as xlsx, pdf or csv.")
    return exports.download(membership.organisation, "soa", format)


@router.get("/soa/versions", response=list[VersionOut], summary="Approved and pending SoA versions")
def list_versions(request: AimwellRequest) -> Any:
    membership = _reader(request)
    return SoAVersion.objects.filter(organisation=membership.organisation)


@router.post("/soa/versions", response={201: VersionOut}, summary="Snapshot the SoA for approval")
def create_version(request: AimwellRequest, payload: VersionIn) -> Status[Any]:
    membership = _manager(request)
    version = services.create_version(
        membership.organisation, actor=request.user, note=payload.note
    )
    return Status(201, version)


def _version(request: AimwellRequest, version_id: uuid.UUID) -> tuple[SoAVersion, Membership]:
    return get_for_user(
        request.user,
        SoAVersion.objects.all(),
        version_id,
        organisation=request.organisation,
    )


@router.get("/soa/versions/{version_id}", response=VersionDetailOut, summary="One SoA version")
def get_version(request: AimwellRequest, version_id: uuid.UUID) -> Any:
    return _version(request, version_id)[0]


@router.post(
    "/soa/versions/{version_id}/approve",
    response=VersionOut,
    summary="Approve an SoA version (top management)",
)
def approve_version(request: AimwellRequest, version_id: uuid.UUID, payload: VersionIn) -> Any:
    version, membership = _version(request, version_id)
    refusal = services.approval_refusal(membership, version)
    if refusal:
        raise PermissionDenied(refusal)
    return services.approve_version(
        version, actor=request.user, membership=membership, note=payload.note
    )


@router.get(
    "/soa/versions/{version_id}/diff",
    response=DiffOut,
    summary="What changed between two SoA versions",
)
def diff_versions(request: AimwellRequest, version_id: uuid.UUID, against: uuid.UUID) -> Any:
    newer, _ = _version(request, version_id)
    older, _ = _version(request, against)
    if older.number > newer.number:
        older, newer = newer, older
    return {
        "older": older.number,
        "newer": newer.number,
        "changes": services.version_diff(older, newer),
    }


@router.get("/soa/{control}", response=SoARowOut, summary="One control's SoA row (A.6.2.4 or id)")
def get_row(request: AimwellRequest, control: str) -> Any:
    membership = _reader(request)
    return _row(membership.organisation, control)


@router.patch("/soa/{control}", response=SoARowOut, summary="Record the SoA decision of a control")
def decide(request: AimwellRequest, control: str, payload: SoAPatch) -> Any:
    membership = _reader(request)
    org = membership.organisation
    row = _row(org, control)
    if not can_write(membership, row.entry if row.entry is not None else object()):
        raise PermissionDenied("Your role does not allow changing the SoA.")
    changes = payload.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        changes["owner"] = member_user(org, changes.pop("owner_email"))
    for text in ("justification", "obligations"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    if "status" in changes and changes["status"] is None:
        changes.pop("status")
    services.decide(org, actor=request.user, node=row.node, custom=row.custom, **changes)
    return _row(org, control)


@router.post("/controls", response={201: CustomControlOut}, summary="Add an own control")
def create_control(request: AimwellRequest, payload: CustomControlIn) -> Status[Any]:
    membership = _manager(request)
    control = services.create_custom_control(
        membership.organisation, actor=request.user, **payload.model_dump()
    )
    return Status(201, control)


# Baseline --------------------------------------------------------------------------------------


def _node(ref: str) -> RequirementNode:
    node = (
        RequirementNode.objects.select_related("framework")
        .filter(
            framework__urn=soa.ISO,
            framework__organisation__isnull=True,
            ref_id=ref,
            kind__in=["requirement", "control"],
        )
        .first()
    )
    if node is None:
        raise HttpError(404, f"No ISO/IEC 42001 requirement or control {ref}.")
    return node


@router.get("/baseline", response=list[BaselineOut], summary="The baseline self-assessment")
def get_baseline(request: AimwellRequest) -> list[dict[str, Any]]:
    membership = _reader(request)
    entries = {
        e.node_id: e for e in BaselineEntry.objects.filter(organisation=membership.organisation)
    }
    out = []
    for node in services.baseline_nodes():
        entry = entries.get(node.pk)
        out.append(
            {
                "ref": node.ref_id,
                "title": node.title,
                "kind": node.kind,
                "maturity": entry.maturity if entry else None,
                "practice": entry.practice if entry else "",
                "notes": entry.notes if entry else "",
                "recorded_by": entry.recorded_by_label if entry else "",
            }
        )
    return out


@router.put("/baseline/{ref}", response=BaselineOut, summary="Record the baseline of one item")
def put_baseline(request: AimwellRequest, ref: str, payload: BaselineIn) -> dict[str, Any]:
    membership = _manager(request)
    node = _node(ref)
    entry = services.record_baseline(
        membership.organisation, actor=request.user, node=node, **payload.model_dump()
    )
    return {
        "ref": node.ref_id,
        "title": node.title,
        "kind": node.kind,
        "maturity": entry.maturity,
        "practice": entry.practice,
        "notes": entry.notes,
        "recorded_by": entry.recorded_by_label,
    }


# Readiness -------------------------------------------------------------------------------------


@router.get("/readiness", response=ReadinessOut, summary="Readiness score, statuses and top gaps")
def get_readiness(request: AimwellRequest, top: int = 10) -> dict[str, Any]:
    membership = _reader(request)
    return readiness.current(membership.organisation).as_dict(top=max(1, min(top, 200)))


@router.get("/readiness/export", summary="The gap analysis as xlsx, PDF or CSV")
def export_gaps(request: AimwellRequest, format: str = "xlsx") -> HttpResponse:
    membership = _reader(request)
    if format not in ("xlsx", "pdf", "csv"):
        raise HttpError(400, "Export as xlsx, pdf or csv.")
    return exports.download(membership.organisation, "gaps", format)


@router.post("/readiness/snapshots", response={201: SnapshotOut}, summary="Record today's score")
def snapshot(request: AimwellRequest) -> Status[Any]:
    membership = _manager(request)
    return Status(201, services.take_snapshot(membership.organisation, actor=request.user))


@router.put(
    "/readiness/overrides/{ref}",
    response=ReadinessOut,
    summary="Override the computed status of a requirement or control, with a reason",
)
def override(request: AimwellRequest, ref: str, payload: OverrideIn) -> dict[str, Any]:
    membership = _manager(request)
    node = _node(ref)
    services.set_override(
        membership.organisation,
        actor=request.user,
        node=node,
        status=payload.status,
        reason=payload.reason,
    )
    return readiness.current(membership.organisation).as_dict()
