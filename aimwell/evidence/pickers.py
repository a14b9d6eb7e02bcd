"""The evidence picker: a form field citing evidence items is filled by searching their titles
(evidence:pick); the item's id travels in the hidden input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy

from aimwell.core.widgets import Picker
from aimwell.evidence.models import EvidenceItem


def visible_evidence(user: Any, organisation: Any) -> Any:
    """The live evidence items of the organisation this user may see (a guest: those of their
    audit's scope); what a picker offers and what its form accepts."""
    return EvidenceItem.objects.visible_to(user, organisation).filter(is_retired=False)


def evidence_options(user: Any, organisation: Any, query: str) -> list[dict[str, str]]:
    """Up to twenty visible items whose title or description holds every word of the query."""
    found = visible_evidence(user, organisation)
    for word in query.split():
        found = found.filter(Q(title__icontains=word) | Q(description__icontains=word))
    chosen = found.order_by("title", "-effective_date")[:20]
    return [
        {
            "value": str(item.pk),
            "label": item.title,
            "detail": f"effective {item.effective_date:%Y-%m-%d}",
        }
        for item in chosen
    ]


def evidence_picker(queryset: Any, *, multiple: bool = False) -> Picker:
    """Evidence items searched by title; names of those chosen come from `queryset` only."""

    def names(ids: list[str]) -> dict[str, str]:
        try:
            return {
                str(pk): title
                for pk, title in queryset.filter(pk__in=ids).values_list("pk", "title")
            }
        except (ValueError, ValidationError):  # a value that is no id names nothing
            return {}

    return Picker(
        reverse_lazy("evidence:pick"),
        multiple=multiple,
        placeholder="Search evidence by title",
        labels=names,
    )
