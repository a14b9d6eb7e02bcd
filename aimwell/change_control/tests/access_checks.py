"""Access checks of the change-request routes (collected by the role matrix). They use the
system and the change request the life cycle's checks set up (`lc_system`, `lc_change`, owned by
the contributor)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.change_control import services as changes
from aimwell.testing import READERS, Check

WRITERS = {"admin", "aims_manager", "contributor"}


def _fresh_change(c: dict[str, Any]) -> str:
    """A new draft for each call: submitting moves it on, so every role gets its own."""
    change = changes.create_change(
        c["org"],
        actor="t",
        title="Another",
        scope="system",
        system=c["lc_system"],
        reason="r",
        what_changes="w",
        owner=c["everyone"]["contributor"].user,
    )
    return str(change.pk)


WEB: dict[str, Check | str] = {
    "change_control:list": Check("GET", lambda c: reverse("change_control:list"), READERS, False),
    "change_control:new": Check("GET", lambda c: reverse("change_control:new"), WRITERS, False),
    "change_control:detail": Check(
        "GET", lambda c: reverse("change_control:detail", args=[c["lc_change"].pk]), READERS, True
    ),
    "change_control:edit": Check(
        "GET", lambda c: reverse("change_control:edit", args=[c["lc_change"].pk]), WRITERS, True
    ),
    "change_control:action": Check(
        "POST",
        lambda c: reverse("change_control:action", args=[_fresh_change(c), "submit"]),
        WRITERS,
        True,
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/changes"): Check("GET", lambda c: "/api/v1/changes", READERS, False),
    ("POST", "/api/v1/changes"): Check(
        "POST",
        lambda c: "/api/v1/changes",
        WRITERS,
        False,
        ok=201,
        body=lambda role: {
            "title": f"Change by {role}",
            "scope": "aims",
            "reason": "r",
            "what_changes": "w",
        },
    ),
    ("GET", "/api/v1/changes/{change_id}"): Check(
        "GET", lambda c: f"/api/v1/changes/{c['lc_change'].pk}", READERS, True
    ),
    ("PATCH", "/api/v1/changes/{change_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/changes/{c['lc_change'].pk}",
        WRITERS,
        True,
        body=lambda role: {"title": f"Retrain ({role})"},
    ),
    ("POST", "/api/v1/changes/{change_id}/{action}"): Check(
        "POST",
        lambda c: f"/api/v1/changes/{_fresh_change(c)}/submit",
        WRITERS,
        True,
        body=lambda role: {},
    ),
}
