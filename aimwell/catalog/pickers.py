"""The requirement picker: a form field citing clauses or controls is filled by searching their
titles and references (catalog:pick); the URN travels in the hidden input."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.catalog.querysets import node_by_urn
from aimwell.core.widgets import Picker


def requirement_picker(
    organisation: Any, *, multiple: bool = False, framework_key: str = ""
) -> Picker:
    """Requirements of the catalogs this organisation sees, searched by title or clause. The
    names of those already chosen are read only from those catalogs, so a URN of another
    organisation's own framework, posted back, shows as the bare URN and never as its title.
    `framework_key` narrows the search to one framework (the form still checks what is sent)."""

    def names(urns: list[str]) -> dict[str, str]:
        found = {}
        for urn in urns[:50]:
            node = node_by_urn(organisation, urn)
            if node is not None:
                found[urn] = f"{node.ref_id} {node.title}"
        return found

    source = reverse("catalog:pick") + (f"?framework={framework_key}" if framework_key else "")
    return Picker(
        source,
        multiple=multiple,
        placeholder="Search requirements by title or clause",
        labels=names,
    )
