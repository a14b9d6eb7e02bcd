"""Single sign-on rules: which account a provider's verified claims may sign in to, and how an
organisation's provider is configured. (The whole flow against a real provider is
tests/e2e/test_single_sign_on.py.)"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aimwell.accounts import services, sso
from aimwell.accounts.errors import AccountsError
from aimwell.accounts.models import Membership, SsoIdentity
from aimwell.core.models import AuditEvent


@pytest.fixture
def provider(org):  # type: ignore[no-untyped-def]
    return sso.configure_provider(
        org,
        issuer="https://idp.meridian.example/",
        client_id="aimwell",
        client_secret_variable="MERIDIAN_OIDC_SECRET",
        email_domains=["Meridian.example", " @ops.meridian.example "],
        default_role="contributor",
        actor="test",
    )


def _claims(sub: str, email: str, verified: bool = True) -> dict[str, object]:
    return {"sub": sub, "email": email, "email_verified": verified, "name": "Ana Lima"}


def test_configuration_is_cleaned_audited_and_domains_are_exclusive(org, other_org, provider):
    assert provider.issuer == "https://idp.meridian.example"
    assert provider.email_domains == ["meridian.example", "ops.meridian.example"]
    event = AuditEvent.objects.get(organisation=org, action="sso.configured")
    assert json.loads(event.changes)["issuer"] == [None, "https://idp.meridian.example"]
    with pytest.raises(AccountsError, match="already signs in elsewhere"):
        sso.configure_provider(
            other_org,
            issuer="https://idp.elsewhere.example",
            client_id="x",
            client_secret_variable="X",
            email_domains=["meridian.example"],
            actor="test",
        )
    with pytest.raises(AccountsError, match="https"):
        sso.configure_provider(
            other_org,
            issuer="http://idp.elsewhere.example",
            client_id="x",
            client_secret_variable="X",
            email_domains=["elsewhere.example"],
            actor="test",
        )
    assert sso.provider_for_email("Someone@OPS.meridian.example") == provider
    assert sso.provider_for_email("someone@elsewhere.example") is None


def test_a_new_person_gets_an_account_and_a_membership_once(org, provider):
    user = sso.resolve_account(provider, _claims("s-1", "Ana@Meridian.example"))
    member = Membership.objects.get(organisation=org, user=user)
    assert member.role == "contributor" and user.email == "ana@meridian.example"
    assert not user.has_usable_password()
    # The same subject later signs in to the same account even if its email claim changed.
    again = sso.resolve_account(provider, _claims("s-1", "ana.lima@meridian.example"))
    assert again == user and SsoIdentity.objects.filter(user=user).count() == 1


def test_claims_the_provider_may_not_make_are_refused(org, other_org, provider, outsider):
    with pytest.raises(sso.SsoError, match="did not confirm"):
        sso.resolve_account(provider, _claims("s-2", "bo@meridian.example", verified=False))
    with pytest.raises(sso.SsoError, match="not in a domain"):
        sso.resolve_account(provider, _claims("s-3", outsider.user.email))
    # An account with a mapped address that belongs to another organisation is not taken over.
    services.add_member(other_org, email="cy@meridian.example", role="admin", actor="test")
    with pytest.raises(sso.SsoError, match="not a member here"):
        sso.resolve_account(provider, _claims("s-4", "cy@meridian.example"))
    assert not Membership.objects.filter(organisation=org, user__email="cy@meridian.example")
    assert not SsoIdentity.objects.exists()


def test_an_existing_member_is_linked(org, contributor, provider):
    services.add_member(org, email="dee@meridian.example", role="staff", actor="test")
    user = sso.resolve_account(provider, _claims("s-5", "dee@meridian.example"))
    assert user.email == "dee@meridian.example"
    assert Membership.objects.get(organisation=org, user=user).role == "staff"  # unchanged
    assert AuditEvent.objects.filter(organisation=org, action="sso.linked").count() == 1


def test_cli_configures_a_provider(org):
    from aimwell.cli import app

    args = ["sso", "configure", "--organisation", org.slug, "--issuer", "https://idp.x.example"]
    args += ["--client-id", "aimwell", "--secret-variable", "X_SECRET", "--domains", "x.example"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "x.example" in result.output
    bad = CliRunner().invoke(app, [*args[:-1], "not a domain"])
    assert bad.exit_code != 0 and "not an email domain" in bad.output
