"""Every page the demo admin can reach (tests/pages.py enumerates them from the URLconf) fits the
viewport at 390 x 844 and at 1,440 x 900, and axe-core finds no serious or critical violation on it.

One browser, one context per width; the page list is walked once. axe-core is vendored in
tests/e2e/vendor (MPL-2.0, its licence beside it) and injected into each page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pages import demo_admin_client, enumerate_pages, unreached

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
WIDTHS = [(390, 844), (1440, 900)]
# WCAG 2.0-2.2, levels A and AA: the rules the issue asks for.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """async (tags) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const result = await axe.run(document, options);
  const where = (v) => v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${where(v)}`);
}"""


@pytest.fixture
def demo_server(demo_org: Any) -> Iterator[str]:
    """A server thread on the test's own database connection, so it serves the demo copy inside
    the test's transaction (pytest-django's live_server would need a transactional test, which
    `demo_org` is not). It answers one request at a time: they share that one connection."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread

    class Server(WSGIServer):
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)  # one thread: the override is the thread's own

    class OneAtATime(LiveServerThread):
        server_class = Server

    connection = connections["default"]
    connection.inc_thread_sharing()
    thread = OneAtATime("127.0.0.1", StaticFilesHandler, {connection.alias: connection}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        connection.dec_thread_sharing()


def test_every_page_fits_both_widths_and_passes_axe(demo_org, demo_server, browser):
    started = time.monotonic()
    client = demo_admin_client(demo_org)
    pages = enumerate_pages(client)
    assert not pages.failures, pages.failures
    assert not unreached(pages), f"routes no page leads to: {sorted(unreached(pages))}"
    walked = time.monotonic()

    session = client.cookies["sessionid"].value
    too_wide: list[str] = []
    violations: list[str] = []
    for width, height in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        context.add_cookies([{"name": "sessionid", "value": session, "url": demo_server}])
        context.add_init_script(AXE)
        page = context.new_page()
        page.set_default_timeout(20_000)
        for entry in pages.pages:
            response = page.goto(demo_server + entry.url, wait_until="load")
            if response is None or response.status != 200:
                too_wide.append(f"{width}px: {entry.url} answered {response and response.status}")
                continue
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide.append(f"{width}px: {entry.url} is {scroll}px wide")
            found = page.evaluate(AXE_RUN, AXE_TAGS)
            violations += [f"{width}px {entry.url}: {v}" for v in found]
        context.close()
    print(
        f"\n{len(pages.pages)} pages: walked in {walked - started:.1f}s, "
        f"browser in {time.monotonic() - walked:.1f}s"
    )
    assert not too_wide and not violations, "\n".join(
        [*too_wide, f"{len(violations)} serious or critical axe-core violations:", *violations]
    )
