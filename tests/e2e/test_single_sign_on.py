"""Single sign-on through a real OpenID Connect provider (node's oidc-provider, started here on
loopback), in Chromium: a new colleague is signed up by their organisation's provider, and a
provider cannot take over an account that belongs elsewhere."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aimwell.accounts import services, sso
from aimwell.accounts.models import Membership, SsoIdentity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "aimwell-e2e"
SECRET_VARIABLE = "AIMWELL_E2E_OIDC_SECRET"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _install_provider() -> None:
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed for the OIDC provider: `apt-get install nodejs npm`.")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--silent"],
        cwd=PROVIDER_DIR,
        check=True,
        timeout=600,
    )


@pytest.fixture
def oidc_provider(live_server: Any) -> Iterator[str]:
    """Start the provider with a client whose redirect URI is this live server's callback."""
    _install_provider()
    port = _free_port()
    secret = os.urandom(16).hex()
    os.environ[SECRET_VARIABLE] = secret
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": secret,
        "OIDC_REDIRECT_URI": f"{live_server.url}/sso/callback/",
    }
    node = shutil.which("node") or "node"
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            line = process.stdout.readline() if process.stdout else ""
            if line.startswith("ready "):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The OIDC provider did not start: {line}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.environ.pop(SECRET_VARIABLE, None)


def _single_sign_on(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/signin/")
    page.get_by_label("Your work address").fill(email)
    page.get_by_role("button", name="Continue with single sign-on").click()
    # The provider's own pages: its sign-in form (any password), then consent.
    page.locator("input[name=password]").wait_for()
    assert page.url.startswith("http://127.0.0.1:")
    assert page.locator("input[name=login]").input_value() == email
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_sign_in_through_the_organisations_provider(live_server, page, oidc_provider):
    page.set_default_timeout(45_000)
    org = services.create_organisation(name="Meridian Lending", slug="meridian", actor="test")
    elsewhere = services.create_organisation(name="Harbour Health", slug="harbour", actor="test")
    sso.configure_provider(
        org,
        issuer=oidc_provider,
        client_id=CLIENT_ID,
        client_secret_variable=SECRET_VARIABLE,
        email_domains=["meridian.example"],
        default_role="contributor",
        actor="test",
    )
    # Someone with this organisation's domain already has an account, as a member elsewhere.
    services.add_member(elsewhere, email="mallory@meridian.example", role="admin", actor="test")

    _single_sign_on(page, live_server.url, "ana@meridian.example")
    page.get_by_role("heading", name="Meridian Lending").wait_for()
    member = Membership.objects.select_related("user").get(
        organisation=org, user__email="ana@meridian.example"
    )
    assert member.role == "contributor" and member.user.full_name == "Person ana"
    assert not member.user.has_usable_password()
    assert SsoIdentity.objects.filter(user=member.user, subject="ana@meridian.example").exists()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Aimwell").wait_for()
    # Signing out of Aimwell leaves the provider's own session: forget it, as another person would.
    page.context.clear_cookies()

    # The provider asserts an address whose account belongs to another organisation: refused.
    _single_sign_on(page, live_server.url, "mallory@meridian.example")
    page.get_by_text("An account with your address exists but is not a member here").wait_for()
    assert not Membership.objects.filter(
        organisation=org, user__email="mallory@meridian.example"
    ).exists()

    # An address outside every provider's domains does not start a sign-on.
    page.get_by_label("Your work address").fill("someone@elsewhere.example")
    page.get_by_role("button", name="Continue with single sign-on").click()
    page.get_by_text("No organisation signs in with single sign-on for that address.").wait_for()
