from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`mapping|get_item:key` for dict lookups with a variable key (answers by question id)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None
