"""Confines guests (members with the external-auditor role) to the scope of their audit and logs
every request they make to the audit trail.

Why a middleware and not a check in each view: the rule spans every app's pages and API, and one
path-based gate (see `scope.refusal`) is small enough to test completely. For the API, ninja
authenticates inside the view, after middleware has run; rather than hooking into the
authenticators of `aimwell.accounts.auth` (shared by every app) we resolve the membership here with
the same function (`accounts.auth.bearer_membership`, which keeps its answer on the request, so
ninja's TokenAuth reads nothing again), or the session's current organisation, so a refused
request never reaches a handler at all. Non-guests cost no extra query on token API requests and
none on pages (CurrentOrganisationMiddleware has already put their membership on the request).

A guest sees only what their current engagements cover. Without one (never engaged yet, or after
the last one ended or was revoked) only the shell stays open: secure by default, so adding an
external auditor to the organisation opens nothing until the AIMS manager engages them on an
audit."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aimwell.accounts.auth import bearer_membership
from aimwell.accounts.middleware import current_membership
from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Role
from aimwell.certification import scope
from aimwell.certification.models import Engagement
from aimwell.core import guests

UNLOGGED_PREFIXES = ("/static/", "/favicon")


def _api_membership(request: HttpRequest) -> Membership | None:
    """The membership ninja will authenticate the request as: TokenAuth runs first and reads the
    bearer token the way ninja's HttpBearer does (any case of the scheme); when the token does not
    authenticate, ninja falls back to the session, and so must we, or a junk `Authorization`
    header would carry a guest's session past the scope check."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        found = bearer_membership(request, secret)
        if found is not None:
            return found[1]
    return current_membership(request)


def guest_scope(membership: Membership) -> scope.GuestScope | None:
    """The scope of the guest's current engagements, or None when none runs."""
    audits = [
        engagement.audit
        for engagement in Engagement.objects.current()
        .filter(membership=membership)
        .select_related("audit")
        .prefetch_related("audit__systems")
    ]
    return scope.GuestScope.of(audits) if audits else None


def guest_limit(
    membership: Membership, current: scope.GuestScope | None
) -> guests.GuestLimit | None:
    """What the guest may see of the AI systems: nothing without a current engagement, the
    engagements' systems when they cover only some, no limit when they cover all."""
    if current is not None and current.all_systems:
        return None
    systems = current.system_ids if current is not None else frozenset()
    return guests.GuestLimit(str(membership.organisation_id), frozenset(systems))


def guest_limits_of(user: Any) -> list[guests.GuestLimit]:
    """The user's guest limits in every organisation where they are a guest (the resolver
    `core.guests` asks for outside a confined request)."""
    limits = []
    for membership in Membership.objects.active().filter(
        user_id=user.pk, role=Role.EXTERNAL_AUDITOR
    ):
        limit = guest_limit(membership, guest_scope(membership))
        if limit is not None:
            limits.append(limit)
    return limits


def _refused(request: HttpRequest, message: str, is_api: bool) -> HttpResponse:
    if is_api:
        return HttpResponse(
            json.dumps({"message": message}), status=403, content_type="application/json"
        )
    return render(
        request,
        "error_page.html",
        {
            "heading": "Outside the scope of your audit",
            "explanation": f"{message} Ask the AIMS manager if you need more.",
        },
        status=403,
    )


class GuestScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(UNLOGGED_PREFIXES):
            return self.get_response(request)
        is_api = path.startswith("/api/")
        membership: Any = (
            _api_membership(request) if is_api else getattr(request, "membership", None)
        )
        if membership is None or membership.role != Role.EXTERNAL_AUDITOR:
            return self.get_response(request)
        from aimwell.certification.workspace import log_guest_request

        current = guest_scope(membership)
        request.guest_scope = current  # type: ignore[attr-defined]  # read by the navigation
        reason = scope.refusal(current, request.method or "GET", path)
        log_guest_request(
            membership, method=request.method or "GET", path=path, refused=reason is not None
        )
        if reason is not None:
            return _refused(request, reason, is_api)
        with guests.confined(guest_limit(membership, current)):
            return self.get_response(request)
