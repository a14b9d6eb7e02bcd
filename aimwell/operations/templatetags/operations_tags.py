"""Template helpers of the operations pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def figures(value: Any) -> str:
    """A management-review input as readable figures: nested counts become 'label: n' lists."""
    if isinstance(value, dict):
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            ((str(k).replace("_", " "), figures(v)) for k, v in value.items()),
        )
    if value is None:
        return "—"
    return format_html("{}", value)


@register.simple_tag
def days_left(incident: Any) -> int | None:
    return incident.days_to_report()


@register.filter
def abs_value(value: Any) -> Any:
    return abs(value) if isinstance(value, int) else value


@register.filter
def may(membership: Any, capability: str) -> bool:
    """Does the member's role grant the capability (e.g. "manage_aims")?"""
    from aimwell.accounts.roles import Capability, can

    return can(membership, Capability(capability))
