"""Small display helpers of the monitoring pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

BADGES = {
    "ok": "ok",
    "succeeded": "ok",
    "warning": "warn",
    "queued": "",
    "running": "warn",
    "alert": "bad",
    "failed": "bad",
    "not_judged": "",
}


@register.filter
def badge(status: str | None) -> str:
    return BADGES.get(status or "", "")


@register.filter
def num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    try:
        return f"{float(value):.{int(digits)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def signed(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):+.3f}"


@register.filter
def label(value: str | None) -> str:
    return (value or "").replace("_", " ")
