"""Test support shared by every app's access checks (imported by tests only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROLES = ["admin", "aims_manager", "contributor", "internal_auditor", "staff", "external_auditor"]
AUDIT_VIEWERS = {"admin", "aims_manager", "internal_auditor", "external_auditor"}
READERS = set(ROLES) - {"staff"}
MANAGERS = {"admin", "aims_manager"}
EVERYONE = set(ROLES)


@dataclass
class Check:
    """How to call a route, and who may call it. `object` routes point at an object of `org`,
    so the outsider must get 404; list routes must not leak `org`'s data to the outsider.

    `url` and `body` receive the context built by every app's `setup(ctx)`; `personal` routes
    act on one member's own object, so other insiders get 404 too."""

    method: str
    url: Callable[[dict[str, Any]], str]
    allowed: set[str]
    object: bool
    # body(role) or body(role, ctx): the form or JSON to send
    body: Callable[..., dict[str, Any]] | None = None
    ok: int = 200
    personal: bool = False
