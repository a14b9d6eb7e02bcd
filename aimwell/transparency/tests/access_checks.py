"""Access checks of the transparency routes (collected by the role matrix).

Readers of the AIMS read cards; the system's owner (the contributor) and managers edit and
publish them; only managers change the public page. The public pages need no sign-in: they are
listed here as strings and tested for anonymous visitors in test_public.py."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.testing import MANAGERS, READERS, Check
from aimwell.transparency.tests.factories import plain_system

WRITERS = {"admin", "aims_manager", "contributor"}


def setup(ctx: dict[str, Any]) -> None:
    owner = ctx["everyone"]["contributor"].user
    ctx["t_system"] = plain_system(ctx["org"], "Card access system", owner=owner)


def _s(c: dict[str, Any]) -> str:
    return str(c["t_system"].pk)


def _published(c: dict[str, Any]) -> str:
    from aimwell.transparency import services

    services.publish_card(c["t_system"], actor="t")
    return _s(c)


WEB: dict[str, Check | str] = {
    "transparency:home": Check("GET", lambda c: reverse("transparency:home"), READERS, False),
    "transparency:settings": Check(
        "GET", lambda c: reverse("transparency:settings"), MANAGERS, False
    ),
    "transparency:card": Check(
        "GET", lambda c: reverse("transparency:card", args=[_s(c)]), READERS, True
    ),
    "transparency:card-download": Check(
        "GET", lambda c: reverse("transparency:card-download", args=[_s(c), "md"]), READERS, True
    ),
    "transparency:publish": Check(
        "POST", lambda c: reverse("transparency:publish", args=[_s(c)]), WRITERS, True, ok=302
    ),
    "transparency:card-edit": Check(
        "POST",
        lambda c: reverse("transparency:card-edit", args=[_s(c)]),
        WRITERS,
        True,
        body=lambda role: {"limitations": f"Checked by {role}.", "slug": "card-access-system"},
        ok=302,
    ),
    "transparency:public": "public page, no sign-in by design: tested in test_public.py",
    "transparency:public-card": "public page, no sign-in by design: tested in test_public.py",
    "transparency:public-concern": "public form, no sign-in by design: tested in test_public.py",
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/transparency/settings"): Check(
        "GET", lambda c: "/api/v1/transparency/settings", READERS, False
    ),
    ("PATCH", "/api/v1/transparency/settings"): Check(
        "PATCH",
        lambda c: "/api/v1/transparency/settings",
        MANAGERS,
        False,
        body=lambda role: {"contact": f"Write to the {role}."},
    ),
    ("GET", "/api/v1/transparency/cards"): Check(
        "GET", lambda c: "/api/v1/transparency/cards", READERS, False
    ),
    ("GET", "/api/v1/systems/{system_id}/card"): Check(
        "GET", lambda c: f"/api/v1/systems/{_s(c)}/card", READERS, True
    ),
    ("PATCH", "/api/v1/systems/{system_id}/card"): Check(
        "PATCH",
        lambda c: f"/api/v1/systems/{_s(c)}/card",
        WRITERS,
        True,
        body=lambda role: {"limitations": f"Checked by {role}."},
    ),
    ("POST", "/api/v1/systems/{system_id}/card/publish"): Check(
        "POST", lambda c: f"/api/v1/systems/{_s(c)}/card/publish", WRITERS, True
    ),
    ("GET", "/api/v1/systems/{system_id}/card/versions"): Check(
        "GET", lambda c: f"/api/v1/systems/{_s(c)}/card/versions", READERS, True
    ),
    ("GET", "/api/v1/systems/{system_id}/card/versions/{number}"): Check(
        "GET", lambda c: f"/api/v1/systems/{_published(c)}/card/versions/1", READERS, True
    ),
}
