"""Browser tests: Playwright drives Debian's Chromium (`apt-get install chromium`) headless."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AIMWELL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_server(demo_org: Any) -> Iterator[str]:
    """A live server over the loaded demo (the `demo_org` copy, inside the test's transaction):
    the server thread shares the test's in-memory SQLite connection, so it sees the demo without
    loading it again. (pytest-django's `live_server` would flush the database after the test,
    which `demo_org` cannot allow.) SQLite pass only, like every browser test."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        # Browser tests are deselected from the PostgreSQL pass; reaching here elsewhere is a
        # mistake in how the suite was called, not a reason to pass quietly.
        pytest.fail("browser tests run on the in-memory SQLite pass only (make test runs them)")
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
