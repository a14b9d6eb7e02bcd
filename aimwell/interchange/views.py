"""OSCAL downloads for the pages that own the data (SoA, inventory, audits, improvement)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.interchange import exports


@login_required
def download(request: AimwellRequest, kind: str) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    try:
        content, filename = exports.export_document(kind, membership.organisation)
    except exports.UnknownDocument as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
