"""A person switches on two-factor sign-in in Chromium, then signs in with a code their
authenticator would compute from the secret, and with a recovery code."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP

from aimwell.accounts import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "amara@meridian.example"
PASSWORD = "a-long-test-passphrase"


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_role("heading", name="Sign in to Aimwell").wait_for()


def test_enrol_totp_then_sign_in_with_a_code_and_a_recovery_code(live_server, page):
    page.set_default_timeout(45_000)
    org = services.create_organisation(name="Meridian Lending", slug="meridian", actor="test")
    services.add_member(org, email=EMAIL, role="admin", password=PASSWORD, actor="test")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    _password(page, live_server.url)
    page.get_by_role("heading", name="Meridian Lending").wait_for()
    page.get_by_role("link", name="Two-factor").click()
    page.get_by_role("heading", name="Two-factor sign-in").wait_for()
    assert page.locator(".qr svg").is_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Switch two-factor sign-in on").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them: continue").click()
    _sign_out(page)

    # The password alone leads to the code page; the app's next code signs in.
    _password(page, live_server.url)
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.goto(f"{live_server.url}/members/")
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("Code").fill(_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Members & roles").wait_for()
    _sign_out(page)

    # Without the phone: a recovery code, once.
    _password(page, live_server.url)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Meridian Lending").wait_for()
    _sign_out(page)
    _password(page, live_server.url)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("That code is not valid.").wait_for()
    # The page's scripts ran under the Content Security Policy without violations.
    assert not [e for e in errors if "Content Security Policy" in e]
