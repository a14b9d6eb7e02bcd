"""Sign-in throttling with django-axes: who is counted, and what a locked-out visitor is told.

django-axes counts failed password sign-ins per account and per address (settings.AXES_*) and
refuses further attempts during the cool-off, even with the right password. These hooks make
the count case-insensitive on the email address, take the address waitress already resolved
(see `aimwell serve` and AIMWELL_TRUSTED_PROXY), and answer with a page or, to scripts, JSON.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from aimwell.accounts.request import AimwellRequest

LOCKED_OUT_MESSAGE = "Too many failed sign-in attempts. Try again later or ask an admin to unlock."


def signin_username(request: AimwellRequest, credentials: dict[str, Any] | None) -> str:
    """The email address tried, lower-cased, so `Ann@X` and `ann@x` share one count."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


def client_address(request: AimwellRequest) -> str:
    """The visitor's address: waitress rewrites REMOTE_ADDR from a trusted proxy's headers."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _wants_json(request: AimwellRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or ("application/json" in accept and "text/html" not in accept)
    )


def lockout_response(
    request: AimwellRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with Retry-After: a friendly page for people, a JSON message for scripts."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse(
            {"message": LOCKED_OUT_MESSAGE, "retry_after_minutes": minutes}, status=429
        )
    else:
        context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
        response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
