"""Single sign-on pages: start at the organisation's identity provider, come back signed in."""

from __future__ import annotations

import logging

import requests
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from aimwell.accounts import mfa, sso
from aimwell.accounts.middleware import SESSION_KEY
from aimwell.accounts.models import IdentityProvider
from aimwell.accounts.request import AimwellRequest

logger = logging.getLogger(__name__)
PROVIDER_SESSION_KEY = "aimwell_sso_provider"
ENDPOINTS_SESSION_KEY = "aimwell_sso_endpoints"


class _AuthorisationRequest(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """mozilla-django-oidc's request (state, nonce, PKCE kept in the session) to one provider."""

    def __init__(self, provider: IdentityProvider, endpoints: dict[str, str], hint: str) -> None:
        self.OIDC_OP_AUTH_ENDPOINT = endpoints["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.hint = hint

    def get_extra_params(self, request: AimwellRequest) -> dict[str, str]:
        return {"login_hint": self.hint}


def _back_to_sign_in(request: AimwellRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("login")


@require_POST
def start(request: AimwellRequest) -> HttpResponse:
    email = request.POST.get("email", "").strip()
    provider = sso.provider_for_email(email) if "@" in email and len(email) <= 254 else None
    if provider is None:
        return _back_to_sign_in(
            request, "No organisation signs in with single sign-on for that address."
        )
    try:
        endpoints = sso.discover(provider)
    except sso.SsoError as exc:
        return _back_to_sign_in(request, str(exc))
    keep = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    request.session[PROVIDER_SESSION_KEY] = str(provider.pk)
    request.session[ENDPOINTS_SESSION_KEY] = {k: str(endpoints.get(k, "")) for k in keep}
    return _AuthorisationRequest(provider, endpoints, email).get(request)  # type: ignore[no-any-return]


def callback(request: AimwellRequest) -> HttpResponse:
    provider_id = str(request.session.get(PROVIDER_SESSION_KEY, ""))
    provider = (
        IdentityProvider.objects.filter(pk=provider_id, is_enabled=True).first()
        if provider_id
        else None
    )
    endpoints = request.session.get(ENDPOINTS_SESSION_KEY)
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    if provider is None or not endpoints or state not in states:
        return _back_to_sign_in(request, "That single sign-on was not started here; try again.")
    if "error" in request.GET or "code" not in request.GET:
        return _back_to_sign_in(request, "The identity provider did not sign you in.")
    pending = states.pop(state)
    request.session["oidc_states"] = states
    try:
        backend = sso.OrganisationOIDCBackend(provider, endpoints)
        user = backend.authenticate(
            request, nonce=pending.get("nonce"), code_verifier=pending.get("code_verifier")
        )
    except sso.SsoError as exc:
        return _back_to_sign_in(request, str(exc))
    except (requests.RequestException, SuspiciousOperation) as exc:
        logger.warning("Single sign-on via %s failed: %s", provider.issuer, exc)
        return _back_to_sign_in(request, "The identity provider's answer could not be checked.")
    if user is None or not user.is_active:
        return _back_to_sign_in(request, "The identity provider did not sign you in.")
    next_url = request.session.get("oidc_login_next") or ""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    mfa.note_single_sign_on(request)
    request.session[SESSION_KEY] = str(provider.organisation_id)
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return redirect(next_url or "dashboard")
