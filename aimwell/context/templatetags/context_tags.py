"""Small template helpers of the context pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from aimwell.core.markdown import render_markdown

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """A value of a dict or QueryDict by a variable key."""
    if not hasattr(mapping, "get"):
        return ""
    value = mapping.get(key)
    return value if value is not None else mapping.get(str(key), "")


@register.filter
def markdown(text: str) -> SafeString:
    """User Markdown as sanitised HTML (nh3 removes anything unsafe)."""
    return mark_safe(render_markdown(text))  # noqa: S308 (sanitised by nh3)
