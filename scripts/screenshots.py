"""Screenshots of the home page, an AI system's page and the monitoring page, at a phone's width
(390 x 844) and a laptop's (1,440 x 900), into docs/images/ for the README.

Run it against the demo served by `make run` (or `aimwell demo` then `aimwell serve`):

    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out docs/images]

It signs in as the demo admin (AIMWELL_ADMIN_EMAIL, default admin@meridian.example) with
AIMWELL_ADMIN_PASSWORD, read from the environment or from .env. Chromium is Debian's
(/usr/bin/chromium, or AIMWELL_CHROMIUM), driven by Playwright as in the browser tests.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {"phone": (390, 844), "desktop": (1440, 900)}
SYSTEM = "Consumer credit scoring"  # the demo's richest AI system


def _env(name: str, default: str = "") -> str:
    if os.environ.get(name):
        return os.environ[name]
    env_file = ROOT / ".env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == name:
                return value.strip()
    return default


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/signin/")
    page.get_by_label("Email").fill(_env("AIMWELL_ADMIN_EMAIL", "admin@meridian.example"))
    page.get_by_label("Password").fill(_env("AIMWELL_ADMIN_PASSWORD"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/signin/" in page.url:
        raise SystemExit("Sign-in failed: set AIMWELL_ADMIN_PASSWORD to the demo admin's password.")


def _system_url(page: Page, base: str) -> str:
    page.goto(f"{base}/ai-systems/")
    href = page.get_by_role("link", name=SYSTEM, exact=True).first.get_attribute("href")
    if not href:
        raise SystemExit(f"The AI system {SYSTEM!r} is not in the register: load the demo.")
    return base + href


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("AIMWELL_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            _sign_in(page, base)
            pages = {
                "home": f"{base}/",
                "system": _system_url(page, base),
                "monitoring": f"{base}/monitoring/",
            }
            for name, url in pages.items():
                page.goto(url)
                page.wait_for_load_state("networkidle")
                path = args.out / f"{name}-{width_name}.png"
                page.screenshot(path=str(path))
                print(f"{path.relative_to(ROOT)}  ({width} x {height}, {url})")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
