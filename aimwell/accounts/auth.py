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


class TokenAuth(HttpBearer):
    """`Authorization: Bearer aw_…`: the token's organisation and its member's current role."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX):
            return None
        api_token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(digest=hash_token(token))
            .first()
        )
        if api_token is None or not api_token.is_usable or not api_token.user.is_active:
            return None
        membership = (
            Membership.objects.active()
            .select_related("organisation")
            .filter(user_id=api_token.user_id, organisation_id=api_token.organisation_id)
            .first()
        )
        if membership is None:
            return None
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
