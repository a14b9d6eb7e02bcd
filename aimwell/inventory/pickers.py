"""The AI-system picker: a form field naming AI systems is filled by searching their names
(inventory:system-pick); the system's id travels in the hidden input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from aimwell.core.widgets import Picker


def system_picker(queryset: Any, *, multiple: bool = False) -> Picker:
    """AI systems, searched by name (an organisation's systems grow past a select's reach)."""

    def names(ids: list[str]) -> dict[str, str]:
        try:
            return {
                str(pk): name for pk, name in queryset.filter(pk__in=ids).values_list("pk", "name")
            }
        except (ValueError, ValidationError):  # a value that is no id names nothing
            return {}

    return Picker(
        reverse_lazy("inventory:system-pick"),
        multiple=multiple,
        placeholder="Search AI systems by name",
        labels=names,
    )
