"""The searchable picker: a form field that links records is filled by searching their names.

The widget renders a search box that asks a page of the app for matching records (HTMX), a list of
the records chosen so far, and the hidden input the form reads. A person types a title, never an id
or a code; the id travels in the hidden input. Without JavaScript the hidden input is shown as a
plain text box (core/picker.html), so the form still works.
"""

from __future__ import annotations

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
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
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
        context["picker"] = {
            "source": self.source,
            "multiple": self.multiple,
            "include": self.include,
            "placeholder": self.placeholder,
            "chosen": formatted.split() if formatted else [],
        }
        return context
