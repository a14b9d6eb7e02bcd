"""The searchable picker: a form field that links records is filled by searching their names.

The widget renders a search box that asks a page of the app for matching records (HTMX), a list of
the records chosen so far, and the hidden input the form reads. A person types a title, never an id
or a code; the id travels in the hidden input. Without JavaScript the hidden input is shown as a
plain text box (core/picker.html), so the form still works.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.functional import Promise


class Picker(forms.Widget):
    template_name = "core/picker.html"

    def __init__(
        self,
        source: str | Promise,
        *,
        multiple: bool = False,
        include: str = "",
        placeholder: str = "Type to search",
        labels: Callable[[list[str]], dict[str, str]] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        # The names of records already chosen (an edit form's initial value), by id; without it
        # a chosen id is shown as it is.
        self.labels = labels
        self.source = source  # a URL answering ?q= with core/_picker_results.html
        self.multiple = multiple
        self.include = include  # a CSS selector of other fields sent with the search
        self.placeholder = placeholder

    def format_value(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return " ".join(str(v) for v in value)
        return str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        formatted = self.format_value(value)
        chosen = formatted.split() if formatted else []
        names = self.labels(chosen) if self.labels and chosen else {}
        context["picker"] = {
            "source": self.source,
            "multiple": self.multiple,
            "include": self.include,
            "placeholder": self.placeholder,
            "chosen": [{"value": v, "label": names.get(v)} for v in chosen],
        }
        return context


class PickedRecords(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records chosen with a Picker(multiple=True): its one input holds their ids (or
    another unique field, `to_field_name`), separated by spaces. The queryset still decides what
    may be posted: an id outside it is refused like a select's unknown option."""

    @staticmethod
    def _split(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(",", " ").split()
        return value

    def clean(self, value: Any) -> Any:
        return super().clean(self._split(value))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(initial, self._split(data))
