"""REST endpoints of the OSCAL documents: download each one, and import an SSP into the SoA."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.controls.schemas import IsmsCoverOut
from aimwell.interchange import exports, services
from aimwell.interchange.services import isms
from aimwell.interchange.ssp_import import MAX_BYTES, SSPFormatError

router = Router(tags=["oscal"])


class SSPImportOut(Schema):
    applied: list[str]
    skipped: list[str]
    summary: str


@router.get(
    "/oscal/{kind}",
    summary="An OSCAL document of the organisation (ssp, profile, component-definition, "
    "assessment-plan, assessment-results, poam)",
    response={200: None},
)
def export_document(request: AimwellRequest, kind: str) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    try:
        content, filename = exports.export_document(kind, membership.organisation)
    except exports.UnknownDocument as exc:
        raise HttpError(404, str(exc)) from exc
    response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/oscal/ssp/import",
    response={200: SSPImportOut},
    summary="Record an OSCAL SSP's control implementations in the SoA (AIMS managers)",
)
def import_ssp(request: AimwellRequest, file: File[UploadedFile]) -> dict[str, object]:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    if file.size and file.size > MAX_BYTES:
        raise HttpError(413, "The file is larger than 10 MB.")
    try:
        report = services.import_ssp(membership.organisation, file.read(), actor=request.user)
    except SSPFormatError as exc:
        raise HttpError(400, f"Nothing was imported. {exc}") from exc
    return {"applied": report.applied, "skipped": report.skipped, "summary": report.summary()}


class IsmsImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: list[str]
    summary: str


@router.post(
    "/isms/import",
    response={200: IsmsImportOut},
    summary="Import the ISO/IEC 27001 SoA (CSV, xlsx or OSCAL profile) as the ISMS baseline",
)
def import_isms(request: AimwellRequest, file: File[UploadedFile]) -> dict[str, object]:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    if file.size and file.size > MAX_BYTES:
        raise HttpError(413, "The file is larger than 10 MB.")
    try:
        report = isms.import_isms_soa(
            membership.organisation, file.read(), file.name or "upload.csv", actor=request.user
        )
    except isms.IsmsImportError as exc:
        raise HttpError(400, f"Nothing was imported. {exc}") from exc
    return {**report.__dict__, "summary": report.summary()}


@router.get(
    "/isms/coverage",
    response=dict[str, list[IsmsCoverOut]],
    summary="For each ISO/IEC 42001 control, the ISMS controls that already cover part of it",
)
def isms_coverage(request: AimwellRequest) -> dict[str, object]:
    membership = require(request.membership, Capability.READ_ALL)
    return {
        ref: [c.as_dict() for c in covers]
        for ref, covers in isms.coverage(membership.organisation).items()
    }
