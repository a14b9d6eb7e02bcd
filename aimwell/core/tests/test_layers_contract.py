"""The import-linter contract that keeps apps apart names every app and every page or API module
by hand (import-linter's wildcards cannot match `views_*`); this keeps the list complete, so a new
app or a new split of views or API is covered the day it is added."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = (
    "Every app uses other apps through their services and querysets, never their pages or API"
)


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"] == CONTRACT)


def test_every_app_is_a_source_of_the_contract():
    # Django apps; the assurance engine has no apps.py (pure Python, its own contract).
    apps = {f"aimwell.{path.parent.name}" for path in (ROOT / "aimwell").glob("*/apps.py")}
    assert set(_contract()["source_modules"]) == apps


def test_every_page_and_api_module_is_forbidden_to_other_apps():
    modules = {
        f"aimwell.{path.parent.name}.{path.stem}"
        for pattern in ("*/views*.py", "*/api*.py")
        for path in (ROOT / "aimwell").glob(pattern)
    }
    assert set(_contract()["forbidden_modules"]) == modules
