"""OpenID Connect single sign-on, one identity provider per organisation (mozilla-django-oidc).

The provider is found from the email domain the person types; its endpoints come from the
issuer's discovery document. mozilla-django-oidc exchanges the code (with PKCE), checks the ID
token's signature against the provider's keys and its nonce; here we also check its issuer and
audience, then decide which account the person gets:

- a subject seen before signs in to the account it was linked to;
- otherwise the email must be verified and in one of the organisation's domains; an account
  with that address that is already a member of the organisation is linked; an account with
  that address that is NOT a member is refused (another organisation's provider cannot take
  over someone's account); with no account, one is created, a member with the default role.
"""

from __future__ import annotations

import os
from typing import Any

import requests
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from aimwell.accounts.errors import AccountsError
from aimwell.accounts.models import IdentityProvider, Membership, Organisation, SsoIdentity, User
from aimwell.accounts.roles import Role
from aimwell.accounts.services import create_user
from aimwell.core.audit import diff, record_for, snapshot

DISCOVERY_TIMEOUT_SECONDS = 10
PROVIDER_FIELDS = ("issuer", "client_id", "client_secret_variable", "email_domains")


class SsoError(AccountsError):
    """A single sign-on that cannot go on; the message is shown to the person."""


def _clean_domains(domains: list[str]) -> list[str]:
    cleaned = sorted({d.strip().lower().lstrip("@") for d in domains if d.strip()})
    for domain in cleaned:
        if "." not in domain or "/" in domain or " " in domain:
            raise AccountsError(f"{domain!r} is not an email domain.")
    return cleaned


@transaction.atomic
def configure_provider(
    organisation: Organisation,
    *,
    issuer: str,
    client_id: str,
    client_secret_variable: str,
    email_domains: list[str],
    default_role: str = Role.STAFF,
    is_enabled: bool = True,
    actor: Any,
) -> IdentityProvider:
    """Set (or change) the organisation's identity provider; recorded in its audit trail."""
    domains = _clean_domains(email_domains)
    if not domains:
        raise AccountsError("Name at least one email domain that signs in through the provider.")
    taken = IdentityProvider.objects.exclude(organisation=organisation).filter(is_enabled=True)
    for other in taken:
        clash = set(domains) & set(other.email_domains)
        if clash:
            raise AccountsError(f"{', '.join(sorted(clash))} already signs in elsewhere.")
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise AccountsError("The issuer must be an https:// URL.")
    role = Role(default_role).value
    if role == Role.EXTERNAL_AUDITOR:
        raise AccountsError("External auditors are invited with an expiry, not signed up by SSO.")
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    before = snapshot(provider, PROVIDER_FIELDS) if provider else {}
    values = {
        "issuer": issuer.rstrip("/"),
        "client_id": client_id,
        "client_secret_variable": client_secret_variable,
        "email_domains": domains,
        "default_role": role,
        "is_enabled": is_enabled,
    }
    provider, _ = IdentityProvider.objects.update_or_create(
        organisation=organisation, defaults=values
    )
    record_for(
        provider,
        actor=actor,
        action="sso.configured",
        changes=diff(before, snapshot(provider, PROVIDER_FIELDS)),
    )
    return provider


def provider_for_email(email: str) -> IdentityProvider | None:
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return None
    for provider in IdentityProvider.objects.filter(is_enabled=True).select_related("organisation"):
        if domain in provider.email_domains:
            return provider
    return None


def discover(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's endpoints, from its discovery document (whose issuer must match)."""
    url = f"{provider.issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=DISCOVERY_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SsoError("The identity provider cannot be reached; try again later.") from exc
    if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
        raise SsoError("The identity provider announces another issuer; ask your admin.")
    return dict(document)


def client_secret(provider: IdentityProvider) -> str:
    secret = os.environ.get(provider.client_secret_variable, "")
    if not secret:
        raise SsoError("Single sign-on is not fully set up (no client secret); ask your admin.")
    return secret


@transaction.atomic
def resolve_account(provider: IdentityProvider, claims: dict[str, Any]) -> User:
    """The account a provider's verified claims sign in to (see the module's rules)."""
    subject = str(claims.get("sub", ""))
    if not subject:
        raise SsoError("The identity provider sent no subject.")
    known = SsoIdentity.objects.select_related("user").filter(provider=provider, subject=subject)
    identity = known.first()
    if identity is not None:
        identity.last_used_at = timezone.now()
        identity.save(update_fields=["last_used_at"])
        return identity.user
    email = str(claims.get("email", "")).strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise SsoError("The identity provider did not confirm your email address.")
    if email.rpartition("@")[2] not in provider.email_domains:
        raise SsoError("Your email address is not in a domain this provider signs in for.")
    organisation = provider.organisation
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = create_user(email=email, full_name=str(claims.get("name", ""))[:150])
        membership = Membership.objects.create(
            organisation=organisation, user=user, role=provider.default_role
        )
        record_for(
            membership,
            actor=user,
            action="membership.created",
            changes={"user": [None, email], "role": [None, membership.role], "via": [None, "sso"]},
        )
    elif not Membership.objects.filter(organisation=organisation, user=user).exists():
        raise SsoError(
            "An account with your address exists but is not a member here; sign in with your "
            "password and accept an invitation instead."
        )
    SsoIdentity.objects.create(
        provider=provider, subject=subject, user=user, last_used_at=timezone.now()
    )
    record_for(provider, actor=user, action="sso.linked", changes={"user": [None, email]})
    return user


class OrganisationOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's code exchange and token checks, for one organisation's provider."""

    def __init__(self, provider: IdentityProvider, endpoints: dict[str, Any]) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = client_secret(provider)
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != self.provider.issuer:
            raise SuspiciousOperation("ID token from another issuer.")
        if self.provider.client_id not in audiences:
            raise SuspiciousOperation("ID token for another client.")
        claims = dict(self.get_userinfo(access_token, id_token, payload))
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("User info about another subject.")
        return resolve_account(self.provider, claims)
