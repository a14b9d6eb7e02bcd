"""Access checks of the AI objectives routes (collected by the role matrix). The objects they use
are made once for all operations apps by `aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from aimwell.operations.tests.access_checks import (
    OWNER_WRITERS,
    api_get,
    api_path,
    page_check,
)
from aimwell.testing import MANAGERS, READERS, Check

API: dict[tuple[str, str], Check] = {
    # Objectives
    ("GET", api_path("/ai-objectives")): api_get("/ai-objectives", READERS),
    ("POST", api_path("/ai-objectives")): Check(
        "POST",
        lambda c: api_path("/ai-objectives"),
        MANAGERS,
        object=False,
        ok=201,
        body=lambda role: {
            "title": f"Objective of {role}",
            "measure": "rate",
            "target": 1,
            "due_date": "2026-12-31",
        },
    ),
    ("GET", api_path("/ai-objectives/{objective_id}")): api_get(
        "/ai-objectives/{pk}", READERS, "ops_objective"
    ),
    ("PATCH", api_path("/ai-objectives/{objective_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/ai-objectives/{c['ops_objective'].pk}"),
        OWNER_WRITERS,
        object=True,
        body=lambda role: {"description": f"By {role}"},
    ),
    ("POST", api_path("/ai-objectives/{objective_id}/measurements")): Check(
        "POST",
        lambda c: api_path(f"/ai-objectives/{c['ops_objective'].pk}/measurements"),
        OWNER_WRITERS,
        object=True,
        ok=201,
        body=lambda role: {"value": 0.7},
    ),
}

WEB: dict[str, Check | str] = {
    "objectives:objective-edit": page_check(
        "objectives:objective-edit", OWNER_WRITERS, "ops_objective"
    ),
    "objectives:objectives": page_check("objectives:objectives", READERS),
    "objectives:objective-new": page_check("objectives:objective-new", MANAGERS),
    "objectives:objective": page_check("objectives:objective", READERS, "ops_objective"),
}
