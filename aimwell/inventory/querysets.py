"""Read-side queries of the inventory: lists with server-side filter, sort and pagination whose
query count depends neither on the page size nor on the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from aimwell.core import search
from aimwell.inventory.models import (
    AIModel,
    AISystem,
    Dataset,
    ReviewFlag,
    Supplier,
)

SYSTEM_SORTS = {
    "name": "name",
    "-name": "-name",
    "stage": "lifecycle_stage",
    "-stage": "-lifecycle_stage",
    "updated": "updated_at",
    "-updated": "-updated_at",
    "risk": "risk_class",
    "-risk": "-risk_class",
    "owner": "owner__email",
    "-owner": "-owner__email",
}
MAX_PAGE_SIZE = 200
# What the systems list's search reads, through the trigram index of migration 0006.
SEARCHED = ("name", "purpose", "business_unit")


@dataclass
class SystemFilters:
    q: str | None = None
    stage: str | None = None
    in_scope: bool | None = None
    risk_class: str | None = None
    owner: str | None = None  # email
    needs_review: bool | None = None
    sort: str = "name"


def _open_review() -> Exists:
    return Exists(ReviewFlag.objects.filter(system=OuterRef("pk"), resolved_at__isnull=True))


def systems(organisation: Any, filters: SystemFilters | None = None) -> QuerySet[AISystem]:
    """The filtered, ordered systems, without the per-row figures (cheap to count and slice).

    Only the filters and sorts that need the current risk class or open reviews compute them.
    """
    f = filters or SystemFilters()
    qs = AISystem.objects.filter(organisation=organisation)
    if f.q:
        qs = search.contains(qs, "inventory_aisystem", SEARCHED, f.q)
    if f.stage:
        qs = qs.filter(lifecycle_stage=f.stage)
    if f.in_scope is not None:
        qs = qs.filter(in_scope=f.in_scope)
    if f.risk_class:
        qs = qs.filter(risk_class="" if f.risk_class == "unclassified" else f.risk_class)
    if f.owner:
        qs = qs.filter(owner__email__iexact=f.owner)
    if f.needs_review is not None:
        qs = qs.filter(_open_review()) if f.needs_review else qs.exclude(_open_review())
    return qs.order_by(SYSTEM_SORTS.get(f.sort, "name"), "pk")


def with_figures(ids: list[Any]) -> list[AISystem]:
    """The given systems, in the given order, with owner, current class and counts."""
    rows = (
        AISystem.objects.filter(pk__in=ids)
        .select_related("owner")
        .annotate(
            model_count=Count("models_used", distinct=True),
            dataset_count=Count("datasets", distinct=True),
            open_reviews=Count(
                "review_flags", filter=Q(review_flags__resolved_at__isnull=True), distinct=True
            ),
        )
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def page_of(qs: Any, page: int | str | None, size: int | str | None) -> Page:
    try:
        per_page = max(1, min(MAX_PAGE_SIZE, int(size or 25)))
    except (TypeError, ValueError):
        per_page = 25
    return Paginator(qs, per_page).get_page(page)


def systems_page(organisation: Any, filters: SystemFilters | None, page: Any, size: Any) -> Page:
    """One page of systems: a count, a slice of ids, then the figures for that slice only, so
    the cost follows the page size, not the number of systems."""
    ids = systems(organisation, filters).values_list("pk", flat=True)
    result = page_of(ids, page, size)
    result.object_list = with_figures(list(result.object_list))
    return result


def models_list(organisation: Any, q: str | None = None) -> QuerySet[AIModel]:
    qs = (
        AIModel.objects.filter(organisation=organisation)
        .select_related("supplier")
        .annotate(system_count=Count("systems", distinct=True))
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(model_type__icontains=q))
    return qs.order_by("name", "version")


def datasets_list(organisation: Any, q: str | None = None) -> QuerySet[Dataset]:
    qs = (
        Dataset.objects.filter(organisation=organisation)
        .select_related("supplier")
        .annotate(system_count=Count("systems", distinct=True))
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(source__icontains=q))
    return qs.order_by("name")


def suppliers_list(organisation: Any, q: str | None = None) -> QuerySet[Supplier]:
    qs = Supplier.objects.filter(organisation=organisation).annotate(
        system_count=Count("systems", distinct=True),
        model_count=Count("models", distinct=True),
        dataset_count=Count("datasets", distinct=True),
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(provides__icontains=q))
    return qs.order_by("name")


def system_detail(system: AISystem) -> dict[str, Any]:
    """Everything a system page shows, each relation in one query."""
    return {
        "models": list(system.models_used.select_related("supplier")),
        "datasets": list(system.datasets.select_related("supplier")),
        "suppliers": list(system.suppliers.all()),
        "resources": list(system.resources.all()),
        "open_reviews": list(system.review_flags.filter(resolved_at__isnull=True)),
        "closed_reviews": list(
            system.review_flags.filter(resolved_at__isnull=False).select_related("resolved_by")[:20]
        ),
        "classifications": list(
            system.classifications.select_related("ruleset", "decided_by").order_by("-created_at")
        ),
    }


def open_reviews(organisation: Any) -> QuerySet[ReviewFlag]:
    return ReviewFlag.objects.filter(organisation=organisation, resolved_at__isnull=True)
