"""Group fairness metrics from per-group confusion counts.

Every figure here is a function of the counts (tp, fp, tn, fn) per group, which is why the
backends only need one aggregation pass, and why results of several time windows can be
merged by adding counts (``merge_fairness``) and recomputing.

Definitions follow fairlearn (``method='between_groups'``, ``agg='worst_case'``):

* demographic-parity difference/ratio: max - min and min / max of the selection rate;
* equalized-odds difference: max of the TPR difference and the FPR difference;
  equalized-odds ratio: min of the TPR ratio and the FPR ratio;
* equal-opportunity difference: the TPR difference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .config import Thresholds
from .errors import ConfigurationError
from .results import (
    ConfusionCounts,
    Disparity,
    FairnessResult,
    GroupMetrics,
    Interval,
    Status,
    worst,
)
from .stats import ratio, wilson_interval

INTERVAL_METHOD = "wilson"

DEFINITIONS = {
    "selection_rate": "(tp + fp) / n",
    "tpr": "tp / (tp + fn)",
    "fpr": "fp / (fp + tn)",
    "precision": "tp / (tp + fp)",
    "error_rate": "(fp + fn) / n",
    "demographic_parity_difference": "max - min selection rate over judged groups",
    "demographic_parity_ratio": "min / max selection rate over judged groups",
    "equalized_odds_difference": "max(TPR difference, FPR difference)",
    "equalized_odds_ratio": "min(TPR ratio, FPR ratio)",
    "equal_opportunity_difference": "max - min TPR over judged groups",
    "judged": "a group is judged when n (rows with label and prediction) >= min_group_size",
}


@dataclass
class RawGroup:
    """What a backend returns for one group of one grouping set."""

    attributes: tuple[str, ...]
    key: dict[str, Any]
    n_rows: int
    n_excluded: int
    counts: ConfusionCounts


def _sort_key(value: Any) -> tuple[int, str]:
    # None sorts first; everything else by its text so that mixed types never fail and
    # DuckDB and Spark (which return the same values) give the same order.
    return (0, "") if value is None else (1, str(value))


def group_metrics(raw: RawGroup, min_group_size: int, confidence: float) -> GroupMetrics:
    c = raw.counts
    n = c.n
    intervals: dict[str, Interval | None] = {
        "selection_rate": wilson_interval(c.tp + c.fp, n, confidence),
        "tpr": wilson_interval(c.tp, c.tp + c.fn, confidence),
        "fpr": wilson_interval(c.fp, c.fp + c.tn, confidence),
        "precision": wilson_interval(c.tp, c.tp + c.fp, confidence),
        "error_rate": wilson_interval(c.fp + c.fn, n, confidence),
    }
    return GroupMetrics(
        attributes=raw.attributes,
        key=dict(raw.key),
        n_rows=raw.n_rows,
        n_excluded=raw.n_excluded,
        counts=ConfusionCounts(c.tp, c.fp, c.tn, c.fn),
        judged=n >= min_group_size,
        selection_rate=ratio(c.tp + c.fp, n),
        tpr=ratio(c.tp, c.tp + c.fn),
        fpr=ratio(c.fp, c.fp + c.tn),
        precision=ratio(c.tp, c.tp + c.fp),
        error_rate=ratio(c.fp + c.fn, n),
        intervals=intervals,
    )


def _spread(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    hi, lo = max(values), min(values)
    return hi - lo, (lo / hi if hi > 0 else None)


def disparity(
    attributes: tuple[str, ...], groups: list[GroupMetrics], thresholds: Thresholds
) -> Disparity:
    judged = [g for g in groups if g.judged]
    sel = [g.selection_rate for g in judged if g.selection_rate is not None]
    tpr = [g.tpr for g in judged if g.tpr is not None]
    fpr = [g.fpr for g in judged if g.fpr is not None]
    dp_diff, dp_ratio = _spread(sel)
    tpr_diff, tpr_ratio = _spread(tpr)
    fpr_diff, fpr_ratio = _spread(fpr)
    eo_diff = None if tpr_diff is None or fpr_diff is None else max(tpr_diff, fpr_diff)
    eo_ratio = None if tpr_ratio is None or fpr_ratio is None else min(tpr_ratio, fpr_ratio)
    reasons: list[str] = []
    status: Status
    if len(judged) < 2:
        status = "not_judged"
        reasons.append(f"fewer than two groups with at least the minimum size ({len(judged)})")
    else:
        levels: list[str] = []
        if dp_ratio is not None and dp_ratio < thresholds.four_fifths:
            levels.append("alert")
            reasons.append(
                f"demographic-parity ratio {dp_ratio:.3f} < {thresholds.four_fifths} "
                "(four-fifths rule)"
            )
        if dp_diff is not None and dp_diff > thresholds.parity_difference:
            levels.append("warning")
            reasons.append(
                f"demographic-parity difference {dp_diff:.3f} > {thresholds.parity_difference}"
            )
        if eo_diff is not None and eo_diff > thresholds.equalized_odds_difference:
            levels.append("warning")
            reasons.append(
                f"equalized-odds difference {eo_diff:.3f} > {thresholds.equalized_odds_difference}"
            )
        status = worst(levels)
    return Disparity(
        attributes=attributes,
        n_groups=len(groups),
        n_groups_judged=len(judged),
        not_judged=[g.label for g in groups if not g.judged],
        demographic_parity_difference=dp_diff,
        demographic_parity_ratio=dp_ratio,
        equalized_odds_difference=eo_diff,
        equalized_odds_ratio=eo_ratio,
        equal_opportunity_difference=tpr_diff,
        status=status,
        reasons=reasons,
    )


def build_fairness(
    raw: Iterable[RawGroup],
    sensitive: tuple[str, ...],
    min_group_size: int,
    confidence: float,
    thresholds: Thresholds,
) -> FairnessResult:
    """Turn per-group counts (all grouping sets, including the empty one) into a result."""
    by_set: dict[tuple[str, ...], list[RawGroup]] = {}
    for r in raw:
        by_set.setdefault(tuple(r.attributes), []).append(r)
    overall_raw = by_set.pop((), None)
    if overall_raw is None:
        overall_raw = [RawGroup((), {}, 0, 0, ConfusionCounts())]
    overall = group_metrics(overall_raw[0], 0, confidence)
    order = {a: i for i, a in enumerate(sensitive)}
    sets = sorted(by_set, key=lambda s: (len(s), [order.get(a, 99) for a in s]))
    groups: list[GroupMetrics] = []
    disparities: list[Disparity] = []
    for attrs in sets:
        members = sorted(by_set[attrs], key=lambda r: [_sort_key(r.key.get(a)) for a in attrs])
        gm = [group_metrics(r, min_group_size, confidence) for r in members]
        groups.extend(gm)
        disparities.append(disparity(attrs, gm, thresholds))
    return FairnessResult(
        sensitive=tuple(sensitive),
        min_group_size=min_group_size,
        interval_method=f"{INTERVAL_METHOD} score interval, {confidence:.0%} two-sided",
        confidence=confidence,
        overall=overall,
        groups=groups,
        disparities=disparities,
        status=worst([d.status for d in disparities]),
        thresholds={
            "four_fifths": thresholds.four_fifths,
            "parity_difference": thresholds.parity_difference,
            "equalized_odds_difference": thresholds.equalized_odds_difference,
        },
        definitions=dict(DEFINITIONS),
    )


def _raw_of(result: FairnessResult) -> list[RawGroup]:
    rows = [result.overall, *result.groups]
    return [RawGroup(g.attributes, g.key, g.n_rows, g.n_excluded, g.counts) for g in rows]


def merge_fairness(
    a: FairnessResult, b: FairnessResult, thresholds: Thresholds | None = None
) -> FairnessResult:
    """Merge two windows: add the per-group counts and recompute every rate and figure.

    Groups present in only one window are kept with their own counts. The minimum group
    size and confidence of ``a`` are used.
    """
    if tuple(a.sensitive) != tuple(b.sensitive):
        raise ConfigurationError(
            f"cannot merge fairness results over different attributes: "
            f"{list(a.sensitive)} vs {list(b.sensitive)}"
        )
    merged: dict[tuple[Any, ...], RawGroup] = {}
    for r in _raw_of(a) + _raw_of(b):
        ident = (r.attributes, tuple(_sort_key(r.key.get(x)) for x in r.attributes))
        if ident in merged:
            m = merged[ident]
            merged[ident] = RawGroup(
                m.attributes,
                m.key,
                m.n_rows + r.n_rows,
                m.n_excluded + r.n_excluded,
                m.counts + r.counts,
            )
        else:
            merged[ident] = r
    th = thresholds or Thresholds(
        four_fifths=a.thresholds.get("four_fifths", 0.8),
        parity_difference=a.thresholds.get("parity_difference", 0.1),
        equalized_odds_difference=a.thresholds.get("equalized_odds_difference", 0.1),
    )
    return build_fairness(merged.values(), tuple(a.sensitive), a.min_group_size, a.confidence, th)


def fairness_from_dict(data: dict[str, Any]) -> FairnessResult:
    """Rebuild a result from its ``to_dict()`` form (e.g. a stored window) via its counts."""
    raws = []
    for g in [data["overall"], *data["groups"]]:
        c = g["counts"]
        raws.append(
            RawGroup(
                tuple(g["attributes"]),
                dict(g["key"]),
                int(g["n_rows"]),
                int(g["n_excluded"]),
                ConfusionCounts(int(c["tp"]), int(c["fp"]), int(c["tn"]), int(c["fn"])),
            )
        )
    th = data.get("thresholds", {})
    return build_fairness(
        raws,
        tuple(data["sensitive"]),
        int(data["min_group_size"]),
        float(data["confidence"]),
        Thresholds(**{k: float(v) for k, v in th.items()}),
    )
