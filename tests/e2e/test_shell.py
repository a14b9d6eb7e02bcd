"""A person signs in, sees the dashboard, and switches organisation."""

from __future__ import annotations

import pytest

from aimwell.accounts import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-passphrase"


def test_sign_in_switch_organisation_and_see_dashboard(live_server, page):
    first = services.create_organisation(name="Meridian Lending", slug="meridian", actor="test")
    second = services.create_organisation(name="Harbour Health", slug="harbour", actor="test")
    services.add_member(
        first,
        email="amara@meridian.example",
        role="admin",
        password=PASSWORD,
        full_name="Amara Okafor",
        actor="test",
    )
    services.add_member(second, email="amara@meridian.example", role="staff", actor="test")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill("amara@meridian.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Both organisations are as busy: the first by name is where Amara lands.
    page.get_by_role("heading", name="Harbour Health").wait_for()
    assert "Staff" in page.content()

    page.get_by_label("Organisation", exact=True).select_option(label="Meridian Lending (Admin)")
    page.get_by_role("heading", name="Meridian Lending").wait_for()
    assert page.get_by_role("heading", name="The path to certification").is_visible()
    nav = page.get_by_role("navigation", name="AIMS areas")
    assert nav.get_by_text("Risks & impact").is_visible()

    page.get_by_role("link", name="Members & roles").click()
    page.get_by_role("heading", name="Invite a member").wait_for()
    assert page.get_by_text("amara@meridian.example", exact=True).count() == 1
