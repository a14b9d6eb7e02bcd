"""List queries of the registers, shared by pages and the API: search, filters and sort on the
server, joins owned here so a page costs the same number of queries whatever its length."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import Capability, can
from aimwell.context.choices import ScopeStatus
from aimwell.context.errors import ContextError
from aimwell.context.models import (
    Applicability,
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
    ScopeVersion,
)


@dataclass(frozen=True)
class ListSpec:
    model: type[models.Model]
    search: tuple[str, ...]
    filters: tuple[str, ...]  # exact-match query parameters
    sorts: Mapping[str, tuple[str, ...]]  # public sort key -> order_by fields
    default_sort: str
    related: tuple[str, ...] = ()
    prefetch: tuple[Any, ...] = ()
    annotate: Mapping[str, Any] = field(default_factory=dict)
    # query parameter -> lookup, for filters through a relation (e.g. the AI system concerned)
    lookups: Mapping[str, str] = field(default_factory=dict)


# The registers by list key; apps whose registers the context pages serve add theirs (governance).
LISTS: dict[str, ListSpec] = {
    "issues": ListSpec(
        ContextIssue,
        search=("title", "description", "effect"),
        filters=("kind", "category", "is_active"),
        sorts={
            "title": ("title",),
            "kind": ("kind", "title"),
            "category": ("category", "title"),
            "reviewed": ("last_reviewed", "pk"),
            "updated": ("-updated_at",),
        },
        default_sort="title",
        related=("owner",),
        prefetch=("systems",),
        lookups={"system": "systems"},
    ),
    "parties": ListSpec(
        InterestedParty,
        search=("name", "needs", "how_addressed"),
        filters=("kind", "category", "is_requirement"),
        sorts={
            "name": ("name",),
            "kind": ("kind", "name"),
            "category": ("category", "name"),
            "reviewed": ("last_reviewed", "pk"),
            "updated": ("-updated_at",),
        },
        default_sort="name",
        related=("owner",),
        prefetch=("systems",),
        lookups={"system": "systems"},
    ),
    "legal": ListSpec(
        LegalRequirement,
        search=("name", "reference", "summary", "jurisdiction"),
        filters=("kind", "jurisdiction", "is_active"),
        sorts={
            "name": ("name",),
            "kind": ("kind", "name"),
            "jurisdiction": ("jurisdiction", "name"),
            "reviewed": ("last_reviewed", "pk"),
            "updated": ("-updated_at",),
        },
        default_sort="name",
        related=("owner",),
        prefetch=(
            Prefetch("applicability", queryset=Applicability.objects.select_related("system")),
            Prefetch("catalog_nodes"),
        ),
        lookups={"system": "applicability__system"},
    ),
    "objectives": ListSpec(
        Objective,
        search=("title", "description"),
        filters=("status",),
        sorts={
            "title": ("title",),
            "target": ("target_date", "title"),
            "status": ("status", "title"),
        },
        default_sort="title",
        related=("owner",),
    ),
}

_TRUE = {"true", "1", "yes", "on"}


def filtered(
    key: str | ListSpec,
    organisation: Organisation,
    params: Mapping[str, Any],
    *,
    base: QuerySet[Any] | None = None,
) -> QuerySet[Any]:
    """The register's rows for a query: `q` searches, listed filters match exactly, `sort` picks
    an allowed order (`-` prefix reverses). An unknown sort is a ContextError."""
    spec = LISTS[key] if isinstance(key, str) else key
    qs = base if base is not None else spec.model.objects.all()  # type: ignore[attr-defined]
    qs = qs.filter(organisation=organisation)
    if spec.related:
        qs = qs.select_related(*spec.related)
    if spec.prefetch:
        qs = qs.prefetch_related(*spec.prefetch)
    if spec.annotate:
        qs = qs.annotate(**spec.annotate)
    query = str(params.get("q") or "").strip()[:200]
    if query:
        condition = Q()
        for name in spec.search:
            condition |= Q(**{f"{name}__icontains": query})
        qs = qs.filter(condition)
    for name in spec.filters:
        value = params.get(name)
        if value in (None, ""):
            continue
        if name.startswith("is_"):
            value = str(value).lower() in _TRUE
        qs = qs.filter(**{name: value})
    for name, lookup in spec.lookups.items():
        value = params.get(name)
        if value not in (None, ""):
            try:
                qs = qs.filter(**{lookup: uuid.UUID(str(value))})
            except ValueError as exc:
                raise ContextError(f"{name}: not an id.", name) from exc
    sort = str(params.get("sort") or spec.default_sort)
    reverse = sort.startswith("-")
    order = spec.sorts.get(sort.lstrip("-"))
    if order is None:
        allowed = ", ".join(sorted(spec.sorts))
        raise ContextError(f"Sort: choose one of {allowed}.", "sort")
    if reverse:
        order = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order)
    return qs.order_by(*(_nulls_first(o) for o in order), "pk")


def _nulls_first(field: str) -> Any:
    """Dates never set (e.g. never reviewed) come first in ascending order on every database."""
    if field.lstrip("-") != "last_reviewed":
        return field
    if field.startswith("-"):
        return F("last_reviewed").desc(nulls_last=True)
    return F("last_reviewed").asc(nulls_first=True)


def scope_versions_for(membership: Membership) -> QuerySet[ScopeVersion]:
    """Every version for readers of everything; approved versions only for staff."""
    qs = ScopeVersion.objects.filter(organisation_id=membership.organisation_id).select_related(
        "approved_by", "created_by"
    )
    if not can(membership, Capability.READ_ALL):
        qs = qs.filter(status=ScopeStatus.APPROVED)
    return qs.order_by("-number")
