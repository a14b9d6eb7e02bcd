"""Read-side queries of the risks app: the register with filters, the heat map, details."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from aimwell.core import search
from aimwell.risks import review
from aimwell.risks.models import (
    Risk,
    RiskMethod,
    SelectedControl,
    TreatmentAction,
)

# Every order ends on the reference's number, so a page is stable and R-99 comes before R-100;
# each has its index on Risk (organisation first).
SORTS = {
    "reference": ["sequence", "reference"],
    "-level": ["-inherent_level", "sequence", "reference"],
    "-residual": ["-residual_level", "sequence", "reference"],
    "review": ["review_date", "sequence", "reference"],
    "title": ["title", "sequence"],
}
OPEN_ACTION = ["open", "in_progress"]
# What the register's search reads, through the trigram index of migration 0006.
SEARCHED = ("title", "reference", "description")


@dataclass(frozen=True)
class RiskFilters:
    q: str | None = None
    system: str | None = None
    status: str | None = None
    band: str | None = None
    owner: str | None = None
    overdue: bool | None = None
    needs_review: bool | None = None
    likelihood: int | None = None
    consequence: int | None = None
    residual: bool = False  # likelihood and consequence filter the residual scores
    control: str | None = None  # an SoA key (Annex A node or own control id): open selecting risks
    sort: str = "reference"


def _count(model: Any, **match: Any) -> Subquery:
    """A correlated COUNT(*) of `model` rows of the outer risk: one index probe per row of the
    page, instead of grouping joined rows."""
    rows = model.objects.filter(risk=OuterRef("pk"), **match).order_by()
    return Subquery(rows.values("risk").annotate(n=Count("pk")).values("n")[:1])


def with_figures(ids: list[Any]) -> list[Risk]:
    """The given risks, in the given order, with their related rows and per-risk figures."""
    by_id = {row.pk: row for row in with_figures_queryset(ids)}
    return [by_id[i] for i in ids if i in by_id]


def with_figures_queryset(ids: list[Any]) -> QuerySet[Risk]:
    today = timezone.localdate()
    return (
        Risk.objects.filter(pk__in=ids)
        .select_related("system", "owner", "method", "risk_source", "objective")
        .annotate(
            open_actions=Coalesce(_count(TreatmentAction, status__in=OPEN_ACTION), 0),
            overdue_actions=Coalesce(
                _count(TreatmentAction, status__in=OPEN_ACTION, due_date__lt=today), 0
            ),
            control_count=Coalesce(_count(SelectedControl), 0),
        )
    )


def filter_risks(organisation: Any, filters: RiskFilters) -> QuerySet[Risk]:
    """The filtered, ordered risks without per-row figures: every filter is a condition on the
    risk row or an EXISTS, so the result has one row per risk (no DISTINCT) and is cheap to
    count and to slice."""
    qs = Risk.objects.filter(organisation_id=organisation.pk).select_related("system")
    if filters.q:
        qs = search.contains(qs, "risks_risk", SEARCHED, filters.q)
    if filters.system == "none":
        qs = qs.filter(system__isnull=True)
    elif filters.system:
        qs = qs.filter(system_id=_uuid(filters.system)) if is_uuid(filters.system) else qs.none()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner:
        qs = qs.filter(owner__email__iexact=filters.owner)
    if filters.overdue:
        today = timezone.localdate()
        late_action = TreatmentAction.objects.filter(
            risk=OuterRef("pk"), status__in=OPEN_ACTION, due_date__lt=today
        )
        qs = qs.filter(Q(review_date__lt=today) | Exists(late_action)).exclude(status="closed")
    if filters.control:
        if not is_uuid(filters.control):
            qs = qs.none()
        else:
            key = _uuid(filters.control)
            selection = SelectedControl.objects.filter(risk=OuterRef("pk")).filter(
                Q(node_id=key) | Q(custom_id=key)
            )
            # The risks that justify the control in the SoA: a closed risk no longer does.
            qs = qs.filter(Exists(selection)).exclude(status="closed")
    if filters.needs_review is not None:
        flagged = review.flagged_ids(review.RISK_SUBJECT, organisation.pk)
        ids = [f for f in flagged if is_uuid(f)]
        qs = qs.filter(pk__in=ids) if filters.needs_review else qs.exclude(pk__in=ids)
    prefix = "residual" if filters.residual else "inherent"
    if filters.likelihood:
        qs = qs.filter(**{f"{prefix}_likelihood": filters.likelihood})
    if filters.consequence:
        qs = qs.filter(**{f"{prefix}_consequence": filters.consequence})
    if filters.band:
        method = current_method(organisation)
        if method is not None:
            bands = method.bands
            for index, band in enumerate(bands):
                if band["name"].lower() == filters.band.lower():
                    upper = bands[index + 1]["min"] if index + 1 < len(bands) else None
                    qs = qs.filter(inherent_level__gte=band["min"])
                    if upper is not None:
                        qs = qs.filter(inherent_level__lt=upper)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["reference"]))


def risks_page(
    organisation: Any, filters: RiskFilters, page: Any, page_size: Any = None
) -> Page[Any]:
    """One page of the register: a count, a slice of ordered ids read from an index, then the
    related rows and figures of that slice only, so the cost follows the page size, not the
    number of risks."""
    from aimwell.core.kept import kept

    size = _size(page_size)
    ids = filter_risks(organisation, filters).values_list("pk", flat=True)
    paginator = Paginator(ids, size)
    if replace(filters, sort="reference", residual=False) == RiskFilters():
        # The whole register (in any order): its count is kept until the next write, since
        # counting 100,000 rows costs more than the page itself.
        paginator.count = kept(organisation.pk, "risk-count", ids.count)
    result: Page[Any] = paginator.get_page(page)
    rows = with_figures(list(result.object_list))
    flagged = review.open_flags(review.RISK_SUBJECT, [risk.pk for risk in rows])
    for risk in rows:
        risk.needs_review = str(risk.pk) in flagged  # type: ignore[attr-defined]
        risk.inherent_band_colour = risk.method.band(risk.inherent_level)["colour"]  # type: ignore[attr-defined]
    result.object_list = rows
    return result


def current_method(organisation: Any) -> RiskMethod | None:
    return RiskMethod.objects.filter(organisation_id=organisation.pk, is_current=True).first()


def heat_counts(organisation: Any, *, residual: bool = False) -> Any:
    """Open risks per (likelihood, consequence): one GROUP BY read from the covering index
    (organisation, likelihood, consequence, status) of the inherent or residual scores."""
    l_field = "residual_likelihood" if residual else "inherent_likelihood"
    c_field = "residual_consequence" if residual else "inherent_consequence"
    return (
        Risk.objects.filter(organisation_id=organisation.pk)
        .exclude(status="closed")
        .exclude(**{f"{l_field}__isnull": True})
        .values_list(l_field, c_field)
        .annotate(n=Count("pk"))
        .order_by()
    )


def heat_map(organisation: Any, method: RiskMethod | None, *, residual: bool = False) -> dict:
    """Counts of open risks per likelihood x consequence cell, highest likelihood first. The
    counts are kept until the organisation's next write (aimwell.core.kept)."""
    from aimwell.core.kept import kept

    if method is None:
        return {"rows": [], "residual": residual}
    counts: dict[tuple[int, int], int] = kept(
        organisation.pk,
        "risk-heat-residual" if residual else "risk-heat",
        lambda: {(lk, cq): n for lk, cq, n in heat_counts(organisation, residual=residual)},
    )
    rows = []
    for likelihood in range(method.likelihood_max, 0, -1):
        cells = []
        for consequence in range(1, method.consequence_max + 1):
            level = method.level(likelihood, consequence)
            cells.append(
                {
                    "likelihood": likelihood,
                    "consequence": consequence,
                    "level": level,
                    "count": counts.get((likelihood, consequence), 0),
                    "colour": method.band(level)["colour"],
                    "band": method.band(level)["name"],
                }
            )
        rows.append({"likelihood": method.likelihood_label(likelihood), "cells": cells})
    return {
        "rows": rows,
        "residual": residual,
        "consequences": [method.consequence_label(c) for c in range(1, method.consequence_max + 1)],
    }


def heat_movement(organisation: Any, method: RiskMethod | None) -> dict[str, Any]:
    """Where treatment moved the open risks: for those with a residual assessment, the inherent
    and residual cell counts (highest likelihood first, as the heat map), each move from one cell
    to another with its count, and the counts per band before and after; plus how many open
    risks await their residual assessment. One GROUP BY, kept until the next write."""
    from aimwell.core.kept import kept

    if method is None:
        return {"rows": 0}
    pairs: list[tuple[int, int, int | None, int | None, int]] = kept(
        organisation.pk,
        "risk-movement",
        lambda: list(
            Risk.objects.filter(organisation_id=organisation.pk)
            .exclude(status="closed")
            .exclude(inherent_likelihood__isnull=True)
            .values_list(
                "inherent_likelihood",
                "inherent_consequence",
                "residual_likelihood",
                "residual_consequence",
            )
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    size_l, size_c = method.likelihood_max, method.consequence_max
    before = [[0] * size_c for _ in range(size_l)]
    after = [[0] * size_c for _ in range(size_l)]
    bands = {b["name"]: {"name": b["name"], "before": 0, "after": 0} for b in method.bands}
    moves: dict[tuple[int, int, int, int], int] = {}
    waiting = 0
    for il, ic, rl, rc, n in pairs:
        if rl is None or rc is None:
            waiting += n
            continue
        before[size_l - il][ic - 1] += n
        after[size_l - rl][rc - 1] += n
        bands[method.band(method.level(il, ic))["name"]]["before"] += n
        bands[method.band(method.level(rl, rc))["name"]]["after"] += n
        moves[(il, ic, rl, rc)] = moves.get((il, ic, rl, rc), 0) + n

    def cell(likelihood: int, consequence: int) -> str:
        return (
            f"likelihood {method.likelihood_label(likelihood)}, "
            f"consequence {method.consequence_label(consequence)} "
            f"(level {method.level(likelihood, consequence)})"
        )

    return {
        "rows": size_l,
        "before": before,
        "after": after,
        "colours": [
            [method.band(method.level(lk, cq))["colour"] for cq in range(1, size_c + 1)]
            for lk in range(size_l, 0, -1)
        ],
        "moves": [
            {
                "source": cell(il, ic),
                "target": cell(rl, rc),
                "count": n,
                "stayed": (il, ic) == (rl, rc),
            }
            for (il, ic, rl, rc), n in sorted(moves.items(), key=lambda item: (-item[1], item[0]))
        ],
        "bands": list(bands.values()),
        "treated": sum(moves.values()),
        "waiting": waiting,
    }


def risk_detail(risk: Risk) -> dict[str, Any]:
    return {
        "assessments": list(risk.assessments.select_related("method").order_by("-created_at")),
        "actions": list(risk.actions.select_related("owner")),
        "controls": list(risk.selected_controls.select_related("node", "custom")),
        "flags": review.open_flags(review.RISK_SUBJECT, [risk.pk]).get(str(risk.pk), []),
    }


def overdue_actions(organisation: Any) -> QuerySet[TreatmentAction]:
    return (
        TreatmentAction.objects.filter(
            organisation_id=organisation.pk,
            status__in=["open", "in_progress"],
            due_date__lt=timezone.localdate(),
        )
        .select_related("risk", "owner")
        .order_by("due_date")
    )


def _size(page_size: Any) -> int:
    try:
        return max(1, min(200, int(page_size or 25)))
    except (TypeError, ValueError):
        return 25


def is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(str(value))
