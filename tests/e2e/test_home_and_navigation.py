"""The demo in the browser: the admin lands in Meridian Lending with the stepper and a next
action; staff open every entry of their menu and none answers 403."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import DEMO_ADMIN_PASSWORD, DEMO_MEMBERS_PASSWORD

pytestmark = [pytest.mark.e2e]


def _sign_in(page: Any, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()


def test_the_demo_admin_lands_in_meridian_lending_with_the_path_and_a_next_action(
    demo_server, page
):
    from aimwell.demo import ADMIN_EMAIL_DEFAULT

    _sign_in(page, demo_server, ADMIN_EMAIL_DEFAULT, DEMO_ADMIN_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Meridian Lending"
    stepper = page.get_by_role("list", name="The seven stages and their progress")
    assert stepper.get_by_role("listitem").count() == 7
    assert stepper.locator("progress").count() == 7
    # The header's inbox count arrives after the page (HTMX): the demo admin has work waiting.
    badge = page.get_by_role("banner").get_by_role("link", name="Inbox").locator(".badge")
    badge.wait_for()
    assert int(badge.inner_text()) > 0
    action = page.locator("#next-action")
    assert action.is_visible() and action.inner_text().strip()
    target = action.get_attribute("href")
    response = page.goto(f"{demo_server}{target}")
    assert response is not None and response.status == 200


def test_staff_open_every_entry_of_their_menu(demo_server, page):
    _sign_in(page, demo_server, "staff@meridian.example", DEMO_MEMBERS_PASSWORD)
    nav = page.get_by_role("navigation", name="AIMS areas")
    hrefs = [link.get_attribute("href") for link in nav.get_by_role("link").all()]
    assert "/documents/" in hrefs and "/risks/" not in hrefs
    answers = {}
    for href in hrefs:
        response = page.goto(f"{demo_server}{href}")
        answers[href] = response.status if response is not None else None
    assert answers and all(status == 200 for status in answers.values()), answers
