"""Two-factor sign-in (django-otp TOTP and recovery codes), and organisations that require it."""

from __future__ import annotations

import base64
import re
import time

from django.test import Client
from django_otp.oath import TOTP

from aimwell.accounts import mfa
from aimwell.core.models import AuditEvent

PASSWORD = "x" * 14  # the conftest actors' password


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app computes from the secret shown on the page (RFC 6238)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _enrol(client: Client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)  # type: ignore[union-attr]
    wrong = client.post("/account/two-factor/", {"code": "000000"})
    assert "does not match" in wrong.content.decode() or _code(secret) == "000000"
    shown = client.post("/account/two-factor/", {"code": _code(secret)}).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    return secret, codes


def _session(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _password_sign_in(email: str) -> Client:
    client = Client()
    assert client.post("/signin/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


def test_enrolment_then_sign_in_needs_a_code(org, contributor):
    secret, codes = _enrol(own := _session(contributor.user))
    assert len(codes) == mfa.RECOVERY_CODE_COUNT == len(set(codes))
    assert AuditEvent.objects.filter(organisation=org, action="user.mfa_enrolled").count() == 1
    # The codes are shown once: the page afterwards tells how many are left, not which.
    again = own.get("/account/two-factor/").content.decode()
    assert "10 unused recovery codes" in again and codes[0] not in again

    client = _password_sign_in(contributor.user.email)
    # Half signed in: every page, and the API with the session, wait for the code.
    dashboard = client.get("/risks/")
    assert dashboard.status_code == 302
    assert dashboard["Location"] == "/account/two-factor/verify/?next=%2Frisks%2F"
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.post("/account/two-factor/verify/", {"code": "12345a", "next": "/risks/"})
    assert "not valid" in wrong.content.decode()
    # The enrolment used the current step: the app's next code is accepted (one step of drift).
    done = client.post(
        "/account/two-factor/verify/", {"code": _code(secret, steps_ahead=1), "next": "/risks/"}
    )
    assert done.status_code == 302 and done["Location"] == "/risks/"
    assert client.get("/api/v1/me").status_code == 200


def test_a_recovery_code_signs_in_once(org, contributor):
    _, codes = _enrol(_session(contributor.user))
    first = _password_sign_in(contributor.user.email)
    assert first.post("/account/two-factor/verify/", {"code": codes[3].upper()}).status_code == 302
    assert first.get("/").status_code == 200
    second = _password_sign_in(contributor.user.email)
    reused = second.post("/account/two-factor/verify/", {"code": codes[3]})
    assert reused.status_code == 200 and "not valid" in reused.content.decode()
    assert second.get("/").status_code == 302
    assert mfa.remaining_recovery_codes(contributor.user) == mfa.RECOVERY_CODE_COUNT - 1
    assert AuditEvent.objects.filter(organisation=org, action="user.recovery_code_used").exists()


def test_an_organisation_can_require_two_factors(org, admin, contributor):
    assert contributor.client.get("/risks/").status_code == 200
    admin.post("/members/two-factor-policy/", {"require_mfa": "on"})
    org.refresh_from_db()
    assert org.require_mfa
    assert AuditEvent.objects.filter(organisation=org, action="organisation.mfa_policy").exists()
    # A member without two factors is sent to set them up, pages and API alike.
    client = _password_sign_in(contributor.user.email)
    sent = client.get("/risks/")
    assert sent.status_code == 302 and sent["Location"] == "/account/two-factor/"
    assert "requires two-factor sign-in" in client.get("/account/two-factor/").content.decode()
    assert client.get("/api/v1/me").status_code == 401
    _enrol(client)
    assert client.get("/risks/").status_code == 200
    # Only admins set the policy.
    refused = contributor.post("/members/two-factor-policy/", {"require_mfa": ""})
    assert refused.status_code in (302, 403)
    org.refresh_from_db()
    assert org.require_mfa


def test_switching_off_takes_a_current_code(org, contributor):
    _, codes = _enrol(own := _session(contributor.user))
    own.post("/account/two-factor/disable/", {"code": "999999"})
    assert mfa.has_second_factor(contributor.user)
    own.post("/account/two-factor/disable/", {"code": codes[0]})
    assert not mfa.has_second_factor(contributor.user)
    assert mfa.remaining_recovery_codes(contributor.user) == 0
    assert _password_sign_in(contributor.user.email).get("/").status_code == 200


def test_the_policy_through_the_api(org, admin, contributor):
    shown = contributor.api("GET", "/api/v1/organisation/sign-in")
    assert shown.status_code == 200
    assert shown.json() == {"require_mfa": False, "single_sign_on": None}
    refused = contributor.api("PUT", "/api/v1/organisation/sign-in", {"require_mfa": True})
    assert refused.status_code == 403
    changed = admin.api("PUT", "/api/v1/organisation/sign-in", {"require_mfa": True})
    assert changed.status_code == 200 and changed.json()["require_mfa"] is True
    org.refresh_from_db()
    assert org.require_mfa
    event = AuditEvent.objects.get(organisation=org, action="organisation.mfa_policy")
    assert event.actor_id == admin.user.pk
