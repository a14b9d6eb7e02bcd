"""API authentication: personal tokens for scripts, the browser session (with CSRF) for pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from aimwell.accounts import mfa
from aimwell.accounts.middleware import current_membership
from aimwell.accounts.models import ApiToken, Membership
from aimwell.accounts.request import attach_membership
from aimwell.accounts.services import TOKEN_PREFIX, hash_token, touch_token

_RESOLVED = "_aimwell_bearer"


def bearer_membership(request: HttpRequest, token: str) -> tuple[ApiToken, Membership] | None:
    """The usable API token `token` names and its member's active membership, or None. Read
    once per request: the guest-scope middleware asks before ninja authenticates, and both get
    the same answer from the same two queries."""
    resolved: dict[str, tuple[ApiToken, Membership] | None] = getattr(request, _RESOLVED, {})
    if token in resolved:
        return resolved[token]
    found: tuple[ApiToken, Membership] | None = None
    if token.startswith(TOKEN_PREFIX):
        api_token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(digest=hash_token(token))
            .first()
        )
        if api_token is not None and api_token.is_usable and api_token.user.is_active:
            membership = (
                Membership.objects.active()
                .select_related("user", "organisation")
                .filter(user_id=api_token.user_id, organisation_id=api_token.organisation_id)
                .first()
            )
            if membership is not None:
                found = (api_token, membership)
    setattr(request, _RESOLVED, {**resolved, token: found})
    return found


class TokenAuth(HttpBearer):
    """`Authorization: Bearer aw_…`: the token's organisation and its member's current role."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = bearer_membership(request, token)
        if found is None:
            return None
        api_token, membership = found
        touch_token(api_token)
        request.user = api_token.user
        attach_membership(request, membership)
        return api_token.user


class OrganisationSessionAuth(SessionAuth):
    """Cookie session, CSRF enforced; the organisation is the one chosen in the web UI."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        membership = current_membership(request)
        if membership is None:
            return None
        # A password sign-in without its second factor is no sign-in for the API either.
        if mfa.code_outstanding(request) or mfa.enrolment_required(
            request, membership.organisation
        ):
            return None
        attach_membership(request, membership)
        return user
