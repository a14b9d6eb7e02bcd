"""REST endpoints of reports: build the certification pack, list the packs built, download one."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.reports.models import CertificationPack
from aimwell.reports.querysets import packs_for
from aimwell.reports.schemas import CertificationPackOut
from aimwell.reports.services import ReportsError, build_certification_pack

router = Router(tags=["Reports"])
PACKS = "/reports/certification-packs"


def _membership(request: AimwellRequest) -> Any:
    # Those who may see the audit trail build and read packs, as for evidence packs.
    return require(request.membership, Capability.VIEW_AUDIT_TRAIL)


@router.get(PACKS, response=list[CertificationPackOut], summary="Certification packs built")
def list_packs(request: AimwellRequest) -> list[CertificationPack]:
    membership = _membership(request)
    return list(packs_for(request.user, membership.organisation)[:100])


@router.post(
    PACKS,
    response={201: CertificationPackOut},
    summary="Build the stage-1 certification pack (PDF, xlsx, evidence index, checksums)",
)
def build_pack(request: AimwellRequest) -> Status[CertificationPack]:
    membership = _membership(request)
    try:
        pack = build_certification_pack(membership.organisation, actor=request.user)
    except ReportsError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, pack)


@router.get(
    PACKS + "/{pack_id}/download",
    response={200: None},
    summary="Download a certification pack (zip)",
)
def download_pack(request: AimwellRequest, pack_id: str) -> FileResponse:
    _membership(request)
    pack, _ = get_for_user(
        request.user,
        CertificationPack.objects.all(),
        pack_id,
        organisation=request.organisation,
        capability=Capability.VIEW_AUDIT_TRAIL,
    )
    handle = pack.file.storage.open(pack.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=pack.file_name, content_type="application/zip"
    )
