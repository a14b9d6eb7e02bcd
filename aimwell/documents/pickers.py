"""The document picker: a form field citing documents is filled by searching their reference or
title (documents:pick); the document's id travels in the hidden input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy

from aimwell.core.widgets import Picker
from aimwell.documents.models import Document


def document_options(user: Any, organisation: Any, query: str) -> list[dict[str, str]]:
    """Up to twenty live documents the member may read (staff: published ones of public or
    internal class) whose reference or title holds every word of the query."""
    found = Document.objects.visible_to(user, organisation).filter(is_retired=False)
    for word in query.split():
        found = found.filter(Q(reference__icontains=word) | Q(title__icontains=word))
    chosen = found.order_by("reference", "title")[:20]
    return [
        {"value": str(doc.pk), "label": f"{doc.reference} {doc.title}".strip()} for doc in chosen
    ]


def document_picker(queryset: Any, *, multiple: bool = False) -> Picker:
    """Documents searched by reference or title; names of those chosen come from `queryset`."""

    def names(ids: list[str]) -> dict[str, str]:
        try:
            chosen = queryset.filter(pk__in=ids).values_list("pk", "reference", "title")
            return {str(pk): f"{ref} {title}".strip() for pk, ref, title in chosen}
        except (ValueError, ValidationError):  # a value that is no id names nothing
            return {}

    return Picker(
        reverse_lazy("documents:pick"),
        multiple=multiple,
        placeholder="Search documents by reference or title",
        labels=names,
    )
