"""REST endpoints of evidence: register (staleness filter), upload and links, integrity checks,
requests, and signed evidence packs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.evidence import services
from aimwell.evidence.models import EvidenceItem, EvidenceLink, EvidencePack, EvidenceRequest
from aimwell.evidence.querysets import evidence_for, freshness_summary, packs_for, requests_for
from aimwell.evidence.schemas import (
    EvidenceOut,
    EvidencePatch,
    FreshnessOut,
    FulfilIn,
    LinkEvidenceIn,
    LinkIn,
    LinkOut,
    PackIn,
    PackOut,
    PublicKeyOut,
    RequestIn,
    RequestOut,
    VerifyOut,
)
from aimwell.evidence.services.packs import build_pack, pack_public_key
from aimwell.evidence.storage import max_upload_bytes

router = Router(tags=["evidence"])


def _membership(request: AimwellRequest, capability: Capability = Capability.READ_ALL) -> Any:
    return require(request.membership, capability)


def _item(request: AimwellRequest, pk: Any, *, write: bool = False) -> tuple[EvidenceItem, Any]:
    _membership(request)
    return get_for_user(
        request.user,
        EvidenceItem.objects.select_related("owner").prefetch_related("requirements", "links"),
        pk,
        organisation=request.organisation,
        write=write,
    )


def _reload(item: EvidenceItem) -> EvidenceItem:
    return (
        EvidenceItem.objects.select_related("owner")
        .prefetch_related("requirements", "links")
        .get(pk=item.pk)
    )


@router.get("/evidence", response=list[EvidenceOut], summary="Evidence (filter by freshness)")
def list_evidence(
    request: AimwellRequest,
    freshness: str = "",
    kind: str = "",
    requirement: str = "",
    q: str = "",
    include_retired: bool = False,
) -> list[EvidenceItem]:
    membership = _membership(request)
    return list(
        evidence_for(
            request.user,
            membership.organisation,
            freshness=freshness,
            kind=kind,
            requirement=requirement,
            q=q[:100],
            include_retired=include_retired,
        )
    )


@router.post("/evidence", response={201: EvidenceOut}, summary="Upload a file as evidence")
def upload_evidence(
    request: AimwellRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    description: Form[str] = "",
    effective_date: Form[dt.date | None] = None,
    validity_days: Form[int | None] = None,
    requirements: Form[str] = "",
) -> Status[EvidenceItem]:
    membership = _membership(request, Capability.CONTRIBUTE)
    limit = max_upload_bytes()
    if file.size and file.size > limit:
        raise HttpError(
            413, f"{file.name} is {file.size / 1048576:.1f} MB; the limit is {limit // 1048576} MB."
        )
    try:
        item = services.add_file(
            membership.organisation,
            title=title,
            data=file.read(limit + 1),
            file_name=file.name or "upload",
            declared_type=file.content_type,
            description=description,
            effective_date=effective_date,
            validity_days=validity_days,
            requirement_urns=[u for u in requirements.replace(",", " ").split() if u],
            actor=request.user,
        )
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _reload(item))


@router.post("/evidence/links", response={201: EvidenceOut}, summary="Add a link as evidence")
def link_evidence(request: AimwellRequest, payload: LinkEvidenceIn) -> Status[EvidenceItem]:
    membership = _membership(request, Capability.CONTRIBUTE)
    try:
        item = services.add_link(
            membership.organisation,
            title=payload.title,
            url=payload.url,
            description=payload.description,
            effective_date=payload.effective_date,
            validity_days=payload.validity_days,
            requirement_urns=payload.requirements,
            actor=request.user,
        )
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _reload(item))


@router.get("/evidence/freshness", response=FreshnessOut, summary="Counts of stale evidence")
def get_freshness(request: AimwellRequest) -> dict[str, Any]:
    membership = _membership(request)
    return freshness_summary(membership.organisation)


@router.get("/evidence/requests", response=list[RequestOut], summary="Evidence requests")
def list_requests(request: AimwellRequest, status: str = "") -> list[EvidenceRequest]:
    membership = _membership(request)
    return list(requests_for(request.user, membership.organisation, status=status))


@router.post("/evidence/requests", response={201: RequestOut}, summary="Ask an owner for evidence")
def create_request(request: AimwellRequest, payload: RequestIn) -> Status[EvidenceRequest]:
    membership = _membership(request)
    if not (
        can(membership, Capability.MANAGE_AIMS) or can(membership, Capability.WRITE_AUDIT_RECORDS)
    ):
        raise HttpError(403, "AIMS managers and internal auditors request evidence.")
    target = (
        Membership.objects.active()
        .select_related("user")
        .filter(
            organisation=membership.organisation, user__email__iexact=payload.requested_from_email
        )
        .first()
    )
    if target is None or not can(target, Capability.CONTRIBUTE):
        raise HttpError(
            400, "Evidence can be asked only of an admin, AIMS manager or contributor here."
        )
    try:
        req = services.request_evidence(
            membership.organisation,
            title=payload.title,
            requested_from=target.user,
            due_date=payload.due_date,
            description=payload.description,
            requirement_urn=payload.requirement,
            actor=request.user,
        )
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, req)


def _request(request: AimwellRequest, pk: str) -> tuple[EvidenceRequest, Any]:
    _membership(request)
    return get_for_user(
        request.user,
        EvidenceRequest.objects.select_related("requested_from", "requested_by", "requirement"),
        pk,
        organisation=request.organisation,
    )


@router.post(
    "/evidence/requests/{request_id}/fulfil", response=RequestOut, summary="Fulfil with evidence"
)
def fulfil_request(request: AimwellRequest, request_id: str, payload: FulfilIn) -> EvidenceRequest:
    req, membership = _request(request, request_id)
    if not (can(membership, Capability.MANAGE_AIMS) or req.requested_from_id == request.user.pk):
        raise HttpError(403, "Only the person asked, or an AIMS manager, fulfils a request.")
    evidence, _ = _item(request, payload.evidence_id)
    try:
        services.fulfil_request(req, evidence=evidence, actor=request.user)
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return req


@router.post("/evidence/requests/{request_id}/cancel", response=RequestOut, summary="Cancel")
def cancel_request(request: AimwellRequest, request_id: str) -> EvidenceRequest:
    req, membership = _request(request, request_id)
    if not (can(membership, Capability.MANAGE_AIMS) or req.requested_by_id == request.user.pk):
        raise HttpError(403, "Only the requester, or an AIMS manager, cancels a request.")
    try:
        services.cancel_request(req, actor=request.user)
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return req


@router.get("/evidence/packs", response=list[PackOut], summary="Exported evidence packs")
def list_packs(request: AimwellRequest) -> list[EvidencePack]:
    membership = _membership(request, Capability.VIEW_AUDIT_TRAIL)
    return list(packs_for(request.user, membership.organisation))


@router.post("/evidence/packs", response={201: PackOut}, summary="Export a signed evidence pack")
def create_pack(request: AimwellRequest, payload: PackIn) -> Status[EvidencePack]:
    membership = _membership(request, Capability.VIEW_AUDIT_TRAIL)
    try:
        pack = build_pack(
            membership.organisation, scope=payload.scope, value=payload.value, actor=request.user
        )
    except (services.EvidenceError, ValueError) as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, pack)


@router.get(
    "/evidence/packs/public-key",
    response=PublicKeyOut,
    summary="The organisation's public key for verifying packs",
)
def get_public_key(request: AimwellRequest) -> dict[str, Any]:
    membership = _membership(request)
    return {
        "organisation_id": membership.organisation_id,
        "algorithm": "Ed25519",
        "public_key": pack_public_key(membership.organisation),
    }


@router.get("/evidence/packs/{pack_id}/download", response={200: None}, summary="Download a pack")
def download_pack(request: AimwellRequest, pack_id: str) -> FileResponse:
    _membership(request, Capability.VIEW_AUDIT_TRAIL)
    pack, _ = get_for_user(
        request.user,
        EvidencePack.objects.all(),
        pack_id,
        organisation=request.organisation,
    )
    handle = pack.file.storage.open(pack.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=pack.file_name, content_type="application/zip"
    )


@router.get("/evidence/{evidence_id}", response=EvidenceOut, summary="One evidence item")
def get_evidence(request: AimwellRequest, evidence_id: str) -> EvidenceItem:
    item, _ = _item(request, evidence_id)
    return item


@router.patch("/evidence/{evidence_id}", response=EvidenceOut, summary="Change an evidence item")
def update_evidence(
    request: AimwellRequest, evidence_id: str, payload: EvidencePatch
) -> EvidenceItem:
    item, _ = _item(request, evidence_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    urns = changes.pop("requirements", None)
    try:
        services.update_item(item, actor=request.user, requirement_urns=urns, **changes)
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return _reload(item)


@router.get("/evidence/{evidence_id}/download", response={200: None}, summary="The evidence file")
def download_evidence(request: AimwellRequest, evidence_id: str) -> FileResponse:
    item, _ = _item(request, evidence_id)
    if not item.file:
        raise HttpError(404, "This evidence has no file.")
    handle = item.file.storage.open(item.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=item.file_name, content_type=item.content_type
    )


@router.post(
    "/evidence/{evidence_id}/verify",
    response=VerifyOut,
    summary="Hash the stored file again and compare it with the hash taken at upload",
)
def verify_evidence(request: AimwellRequest, evidence_id: str) -> dict[str, Any]:
    item, _ = _item(request, evidence_id)
    ok = services.verify_integrity(item, actor=request.user)
    return {"ok": ok, "sha256": item.sha256, "checked_at": item.last_verified_at or timezone.now()}


@router.post("/evidence/{evidence_id}/retire", response=EvidenceOut, summary="Withdraw evidence")
def retire_evidence(request: AimwellRequest, evidence_id: str) -> EvidenceItem:
    item, _ = _item(request, evidence_id, write=True)
    services.retire_item(item, actor=request.user)
    return _reload(item)


@router.post(
    "/evidence/{evidence_id}/links",
    response={201: LinkOut},
    summary="Link evidence to an AI system, a document or another registered object",
)
def add_link(request: AimwellRequest, evidence_id: str, payload: LinkIn) -> Status[EvidenceLink]:
    item, _ = _item(request, evidence_id, write=True)
    try:
        link = services.add_target_link(
            item, target_type=payload.target_type, target_id=payload.target_id, actor=request.user
        )
    except services.EvidenceError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, link)


@router.delete(
    "/evidence/{evidence_id}/links/{link_id}",
    response={204: None},
    summary="Remove a link (idempotent)",
)
def remove_link(request: AimwellRequest, evidence_id: str, link_id: str) -> Status[None]:
    item, _ = _item(request, evidence_id, write=True)
    link = EvidenceLink.objects.filter(evidence=item, pk=_uuid_or_none(link_id)).first()
    if link is not None:
        services.remove_target_link(link, actor=request.user)
    return Status(204, None)


def _uuid_or_none(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None
