"""The dashboard and the friendly error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, Role, can
from aimwell.notifications.inbox import inbox_for
from aimwell.web import dashboard as home


@login_required
def dashboard(request: AimwellRequest) -> HttpResponse:
    membership = request.membership
    if membership is None:
        return render(request, "web/no_organisation.html", status=200)
    if membership.role == Role.EXTERNAL_AUDITOR:
        # A guest works from their audit workspace; the figures span the whole AIMS, beyond the
        # scope of any one audit.
        return render(request, "web/dashboard.html", {"guest": True})
    context: dict[str, object] = {"inbox": inbox_for(membership)}
    if can(membership, Capability.READ_ALL):
        progress = home.progress(membership)
        context.update(progress=progress, figures=home.figures(membership, progress))
    return render(request, "web/dashboard.html", context)


def _error(request: AimwellRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    context = {"heading": heading, "explanation": explanation}
    return render(request, "error_page.html", context, status=status)


def bad_request(request: AimwellRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        "That request could not be understood",
        "Check the address or the form and try again.",
    )


def permission_denied(request: AimwellRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You cannot do this",
        "Your role in this organisation does not allow it. An admin can change roles.",
    )


def page_not_found(request: AimwellRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "It does not exist, or it belongs to an organisation you are not a member of.",
    )


def server_error(request: AimwellRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
