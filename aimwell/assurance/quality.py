"""Data-quality evidence: schema against the reference, missing values, out-of-range
values against the reference min/max, and categories unseen in the reference."""

from __future__ import annotations

from typing import Any

from .config import Thresholds
from .io import NUMERIC
from .results import ColumnQuality, QualityResult, Status, worst
from .stats import ratio


def build_quality(
    types: dict[str, str],
    stats: dict[str, Any],
    th: Thresholds,
    ref_types: dict[str, str] | None = None,
    ref_ranges: dict[str, tuple[Any, Any]] | None = None,
    new_categories: dict[str, list[Any]] | None = None,
) -> QualityResult:
    """``stats`` comes from ``engine.column_stats`` (keys n_rows, m<i>, lo<i>, hi<i>, oor<i>
    for the i-th column of ``types``)."""
    n = int(stats["n_rows"])
    cols: list[ColumnQuality] = []
    for i, (c, t) in enumerate(types.items()):
        miss = int(stats.get(f"m{i}") or 0)
        cq = ColumnQuality(column=c, type=t, n_rows=n, missing=miss, missing_rate=ratio(miss, n))
        levels: list[str] = []
        if cq.missing_rate is not None and cq.missing_rate > th.missing_rate_warning:
            levels.append("warning")
        if ref_types is not None:
            cq.reference_type = ref_types.get(c)
            if cq.reference_type is not None and cq.reference_type != t:
                levels.append("alert")
        if ref_ranges and c in ref_ranges and t in NUMERIC:
            cq.reference_min, cq.reference_max = ref_ranges[c]
            oor = stats.get(f"oor{i}")
            if oor is not None:
                cq.out_of_range = int(oor)
                cq.out_of_range_rate = ratio(int(oor), n - miss)
                rate = cq.out_of_range_rate
                if rate is not None and rate > th.out_of_range_rate_warning:
                    levels.append("warning")
        if new_categories is not None and c in new_categories:
            cq.new_categories = new_categories[c]
            if cq.new_categories:
                levels.append("warning")
        cq.status = worst(levels)
        cols.append(cq)
    missing_cols: list[str] = []
    extra: list[str] = []
    changes: dict[str, dict[str, str]] = {}
    schema_levels: list[str] = []
    if ref_types is not None:
        missing_cols = [c for c in ref_types if c not in types]
        extra = [c for c in types if c not in ref_types]
        changes = {
            c: {"reference": ref_types[c], "current": t}
            for c, t in types.items()
            if c in ref_types and ref_types[c] != t
        }
        if missing_cols or changes:
            schema_levels.append("alert")
        if extra:
            schema_levels.append("warning")
    status: Status = worst(schema_levels + [c.status for c in cols])
    return QualityResult(
        n_rows=n,
        missing_columns=missing_cols,
        extra_columns=extra,
        type_changes=changes,
        columns=cols,
        status=status,
    )


def ranges_from_stats(types: dict[str, str], stats: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    out: dict[str, tuple[Any, Any]] = {}
    for i, (c, t) in enumerate(types.items()):
        if t in NUMERIC and f"lo{i}" in stats:
            lo, hi = stats[f"lo{i}"], stats[f"hi{i}"]
            if lo is not None and hi is not None:
                out[c] = (_plain(lo), _plain(hi))
    return out


def _plain(v: Any) -> Any:
    # Decimals and numpy scalars become float/int so that they serialise and print as SQL.
    if isinstance(v, bool | int | float | str):
        return v
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f
