"""No app grows past 4,000 lines of product code (Python outside its migrations and tests): past
that, a newcomer cannot hold a domain in their head, and the app is split by domain instead."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
LIMIT = 4000


def _product_lines(app: Path) -> int:
    return sum(
        len(path.read_text(encoding="utf-8").splitlines())
        for path in app.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(app).parts)
    )


def test_no_app_is_over_the_limit():
    apps = [path for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()]
    # The enumeration reaches the apps (a wrong root would pass on nothing).
    assert {"risks", "assurance", "context", "governance"} <= {app.name for app in apps}
    sizes = {app.name: _product_lines(app) for app in apps}
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
