"""The import-linter contract that keeps apps apart names every app and every page or API module
by hand (import-linter's wildcards cannot match `views_*`); this keeps the list complete, so a new
app or a new split of views or API is covered the day it is added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_the_engine_and_core_contracts_forbid_every_other_app():
    apps = {f"aimwell.{path.parent.name}" for path in (ROOT / "aimwell").glob("*/apps.py")}
    top_level = {
        f"aimwell.{path.stem}"
        for path in (ROOT / "aimwell").glob("*.py")
        if path.stem not in ("__init__", "__main__")
    }
    # The engine's pure-Python packages: no apps.py (assurance, data drift, generative evaluation).
    engine_packages = {
        f"aimwell.{path.parent.name}"
        for path in (ROOT / "aimwell").glob("*/__init__.py")
        if not (path.parent / "apps.py").exists()
    }
    by_name = {c["name"]: c for c in _contracts()}
    engine = by_name["The assurance engine is pure Python: no Django, no other Aimwell package"]
    assert set(engine["source_modules"]) == engine_packages
    assert set(engine["forbidden_modules"]) == {"django", "ninja"} | apps | top_level
    # An indirect path to Django (engine -> helper -> django) breaks the contract too.
    assert not engine.get("allow_indirect_imports", False)
    core = by_name["Core knows no domain: it imports no other Aimwell app"]
    assert set(core["forbidden_modules"]) == (apps - {"aimwell.core"}) | engine_packages | top_level
    pre_audit = by_name["The pre-audit check reads the registers, never the assurance engine"]
    assert set(pre_audit["forbidden_modules"]) == engine_packages
    layers = by_name["Inside an app, pages and API sit above services, and services above models"]
    assert set(layers["containers"]) == apps


ENGINE_LAYERS = (
    "The assurance engine is layered: its command line, then the engine and report, then the "
    "backends, then data drift, then the shared measures and results"
)


def test_every_module_of_the_assurance_engine_has_a_layer():
    # A new module of the engine must be placed in a layer, or nothing stops it importing upwards.
    layered = {
        module.strip()
        for layer in next(c for c in _contracts() if c["name"] == ENGINE_LAYERS)["layers"]
        for module in layer.split(":")
    }
    engine = ROOT / "aimwell" / "assurance"
    modules = {
        f"aimwell.assurance.{path.stem}" for path in engine.glob("*.py") if path.stem != "__init__"
    } | {
        f"aimwell.assurance.{path.parent.name}"
        for path in engine.glob("*/__init__.py")
        if path.parent.name != "tests"
    }
    assert layered == modules | {"aimwell.data_drift", "aimwell.generative_evaluation"}


# One forbidden import per contract, each in a file the contract covers; every contract must then
# be reported broken. Proves the contracts bite, not only that they are configured.
INJECTIONS = {
    "The assurance engine is pure Python: no Django, no other Aimwell package": (
        "assurance/engine.py",
        "import aimwell.monitoring.models",
    ),
    ENGINE_LAYERS: (
        "data_drift/results.py",
        "import aimwell.assurance.engine",
    ),
    "The pre-audit check reads the registers, never the assurance engine": (
        "consistency/engine.py",
        "import aimwell.assurance.engine",
    ),
    "Core knows no domain: it imports no other Aimwell app": (
        "core/writes.py",
        "import aimwell.risks.services",
    ),
    "Every app uses other apps through their services and querysets, never their pages or API": (
        "inventory/services/__init__.py",
        "import aimwell.risks.views",
    ),
    "Inside an app, pages and API sit above services, and services above models": (
        "risks/models/__init__.py",
        "import aimwell.risks.services",
    ),
    "Integrations listen to the AIMS (core.events); no other app imports them": (
        "inventory/models.py",
        "import aimwell.integrations.services.delivery",
    ),
}


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        # The copy, not the installed package, is what import-linter must analyse.
        env={**os.environ, "PYTHONPATH": str(tree)},
    )


def test_each_injected_forbidden_import_breaks_its_contract(tmp_path):
    assert set(INJECTIONS) == {c["name"] for c in _contracts()}, "a contract without an injection"
    tree = tmp_path / "copy"
    shutil.copytree(
        ROOT / "aimwell",
        tree / "aimwell",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "data"),
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    clean = _lint_imports(tree)
    assert clean.returncode == 0, clean.stdout[-2000:]
    for relative, statement in INJECTIONS.values():
        module = tree / "aimwell" / relative
        module.write_text(module.read_text() + f"\n{statement}  # injected by the test\n")
    broken = _lint_imports(tree)
    assert broken.returncode != 0
    report = " ".join(broken.stdout.split())  # contract names wrap in the report
    for name in INJECTIONS:
        assert f"{name} BROKEN" in report, name
