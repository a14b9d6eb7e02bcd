"""Register lists shared by the pages and the API of the domain apps: search, filters, sort and
pagination described once per register by a `ListSpec` (each app's `querysets.py` holds its own)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from aimwell.operations.errors import OperationsError

MAX_PAGE_SIZE = 200
FLAGS = ("is_serious", "is_active", "passed")


@dataclass(frozen=True)
class ListSpec:
    model: type[models.Model]
    search: tuple[str, ...]
    filters: Mapping[str, str]  # query parameter -> lookup
    sorts: Mapping[str, tuple[str, ...]]
    default_sort: str
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    annotate: Mapping[str, Any] = field(default_factory=dict)
    # What `overdue=true` keeps, given today; None when the register has no deadlines.
    overdue: Callable[[dt.date], Q] | None = None


def _flag(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes", "on")


def filtered(
    spec: ListSpec,
    organisation: Any,
    params: Mapping[str, Any],
    *,
    base: QuerySet[Any] | None = None,
    today: dt.date | None = None,
) -> QuerySet[Any]:
    """The organisation's rows of a register, searched, filtered and sorted by `params`."""
    qs = base if base is not None else spec.model.objects.all()  # type: ignore[attr-defined]
    qs = qs.filter(organisation=organisation)
    q = (params.get("q") or "").strip()
    if q:
        cond = Q()
        for name in spec.search:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    for param, lookup in spec.filters.items():
        value = params.get(param)
        if value in (None, ""):
            continue
        if param in FLAGS:
            value = _flag(value)
        elif lookup.endswith("_id") or lookup == "systems":
            try:
                value = str(uuid.UUID(str(value)))
            except ValueError as exc:
                raise OperationsError(f"{param} is not a valid id.", field=param) from exc
        if lookup.endswith("email"):
            lookup += "__iexact"
        qs = qs.filter(**{lookup: value})
    if spec.overdue is not None and _flag(params.get("overdue")):
        qs = qs.filter(spec.overdue(today or timezone.localdate()))
    if spec.related:
        qs = qs.select_related(*spec.related)
    if spec.annotate:
        qs = qs.annotate(**spec.annotate)
    if spec.prefetch:
        qs = qs.prefetch_related(*spec.prefetch)
    sort = params.get("sort") or spec.default_sort
    order = spec.sorts.get(sort, spec.sorts[spec.default_sort])
    return qs.order_by(*order, "pk")


def page_of(qs: QuerySet[Any], page: Any, page_size: int = 25) -> Page[Any]:
    size = max(1, min(int(page_size or 25), MAX_PAGE_SIZE))
    return Paginator(qs, size).get_page(page)
