"""The reports page: build the certification pack, download it, and see the packs built before."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.evidence.packfmt import PackKeyError
from aimwell.evidence.services.packs import pack_public_key
from aimwell.reports.models import CertificationPack
from aimwell.reports.querysets import packs_for
from aimwell.reports.services import ReportsError, build_certification_pack


def _membership(request: AimwellRequest) -> Any:
    return require(request.membership, Capability.VIEW_AUDIT_TRAIL)


@login_required
@page_access(Capability.VIEW_AUDIT_TRAIL)
def home(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request)
    packs = list(packs_for(request.user, membership.organisation)[:50])
    fresh = request.GET.get("built", "")
    latest = next((p for p in packs if str(p.pk) == fresh), None)
    try:  # the key an auditor checks the signatures with (the same as for evidence packs)
        public_key = pack_public_key(membership.organisation)
    except PackKeyError:
        public_key = ""
    return render(
        request, "reports/home.html", {"packs": packs, "latest": latest, "public_key": public_key}
    )


@login_required
@require_POST
def build(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request)
    try:
        pack = build_certification_pack(membership.organisation, actor=request.user)
    except ReportsError as exc:
        messages.error(request, str(exc))
        return redirect("reports:home")
    messages.success(request, f"Built the certification pack; its SHA-256 is {pack.sha256}.")
    return redirect(reverse("reports:home") + f"?built={pack.pk}")


@login_required
def download(request: AimwellRequest, pk: Any) -> FileResponse:
    _membership(request)
    pack, _ = get_for_user(
        request.user,
        CertificationPack.objects.all(),
        pk,
        organisation=request.organisation,
        capability=Capability.VIEW_AUDIT_TRAIL,
    )
    handle = pack.file.storage.open(pack.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=pack.file_name, content_type="application/zip"
    )
