"""Regression models across groups: error per group, with intervals, and the gap between
groups.

For every group of every grouping (each sensitive attribute and their intersections), from
the sums the main pass already computes (count, sum of errors, of absolute errors, of squared
errors; error = prediction - label):

* MAE, RMSE and bias (mean error: positive when the model over-predicts for the group);
* intervals for MAE and bias: normal approximation of a mean (central limit theorem) with the
  sample standard deviation, ``mean +/- z * s / sqrt(n)``;
* per grouping, the MAE gap (largest minus smallest MAE over judged groups), the MAE ratio
  (smallest / largest) and the bias gap. A ratio below ``regression_mae_ratio`` (0.8, by
  analogy with the four-fifths rule: one group's typical error at least 25 % larger than
  another's) raises a warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import Thresholds
from .results import Interval, Status, ToDict, worst

DEFINITIONS = {
    "error": "prediction - label",
    "mae": "mean |error|",
    "rmse": "sqrt(mean error^2)",
    "bias": "mean error (positive: over-prediction)",
    "intervals": "mean +/- z * s / sqrt(n), s the sample standard deviation (ddof=1)",
    "mae_gap": "max - min MAE over judged groups",
    "mae_ratio": "min / max MAE over judged groups",
    "bias_gap": "max - min bias over judged groups",
    "judged": "a group is judged when n (rows with label and prediction) >= min_group_size",
}


@dataclass
class RegressionGroup(ToDict):
    attributes: tuple[str, ...]
    key: dict[str, Any]
    n: int
    n_excluded: int
    judged: bool
    mae: float | None
    rmse: float | None
    bias: float | None
    intervals: dict[str, Interval | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ", ".join(f"{a}={self.key[a]}" for a in self.attributes) or "overall"


@dataclass
class RegressionGap(ToDict):
    attributes: tuple[str, ...]
    n_groups: int
    n_groups_judged: int
    not_judged: list[str]
    mae_gap: float | None
    mae_ratio: float | None
    bias_gap: float | None
    worst_group: str | None
    status: Status
    reasons: list[str] = field(default_factory=list)


@dataclass
class RegressionFairnessResult(ToDict):
    sensitive: tuple[str, ...]
    min_group_size: int
    interval_method: str
    confidence: float
    groups: list[RegressionGroup]
    gaps: list[RegressionGap]
    status: Status
    threshold_mae_ratio: float
    definitions: dict[str, str] = field(default_factory=dict)


def _mean_interval(mean: float, sum_sq: float, n: int, z: float) -> Interval | None:
    if n < 2:
        return None
    var = max(sum_sq - n * mean * mean, 0.0) / (n - 1)
    half = z * math.sqrt(var / n)
    return Interval(mean - half, mean + half)


def group_errors(
    attributes: tuple[str, ...],
    key: dict[str, Any],
    sums: dict[str, Any],
    min_group_size: int,
    z: float,
) -> RegressionGroup:
    n = int(sums.get("reg_n") or 0)
    excluded = int(sums.get("n_excluded") or 0)
    if n == 0:
        return RegressionGroup(attributes, key, 0, excluded, False, None, None, None)
    s_abs = float(sums["reg_abs"] or 0.0)
    s_sq = float(sums["reg_sq"] or 0.0)
    s_err = float(sums["reg_sum"] or 0.0)
    mae, bias = s_abs / n, s_err / n
    return RegressionGroup(
        attributes=attributes,
        key=dict(key),
        n=n,
        n_excluded=excluded,
        judged=n >= min_group_size,
        mae=mae,
        rmse=math.sqrt(s_sq / n),
        bias=bias,
        intervals={
            "mae": _mean_interval(mae, s_sq, n, z),  # |e|^2 = e^2
            "bias": _mean_interval(bias, s_sq, n, z),
        },
    )


def _gap(attrs: tuple[str, ...], groups: list[RegressionGroup], th: Thresholds) -> RegressionGap:
    judged = [g for g in groups if g.judged and g.mae is not None]
    maes = [g.mae for g in judged if g.mae is not None]
    biases = [g.bias for g in judged if g.bias is not None]
    if len(judged) < 2:
        return RegressionGap(
            attrs, len(groups), len(judged), [g.label for g in groups if not g.judged],
            None, None, None, None, "not_judged",
            [f"fewer than two groups with at least the minimum size ({len(judged)})"],
        )  # fmt: skip
    hi, lo = max(maes), min(maes)
    ratio = lo / hi if hi > 0 else None
    worst_group = max(judged, key=lambda g: g.mae or 0.0).label
    reasons = []
    status: Status = "ok"
    if ratio is not None and ratio < th.regression_mae_ratio:
        status = "warning"
        reasons.append(
            f"MAE ratio {ratio:.3f} < {th.regression_mae_ratio} (largest MAE: {worst_group})"
        )
    return RegressionGap(
        attributes=attrs,
        n_groups=len(groups),
        n_groups_judged=len(judged),
        not_judged=[g.label for g in groups if not g.judged],
        mae_gap=hi - lo,
        mae_ratio=ratio,
        bias_gap=max(biases) - min(biases),
        worst_group=worst_group,
        status=status,
        reasons=reasons,
    )


def build_regression_fairness(
    keyed: Sequence[tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]],
    sensitive: tuple[str, ...],
    min_group_size: int,
    confidence: float,
    thresholds: Thresholds,
) -> RegressionFairnessResult:
    """From the folded rows of the main pass (attributes, key, sums) of every grouping set."""
    from .stats import normal_quantile

    z = normal_quantile(0.5 + 0.5 * confidence)
    order = {a: i for i, a in enumerate(sensitive)}
    by_set: dict[tuple[str, ...], list[RegressionGroup]] = {}
    for attrs, key, sums in keyed:
        if attrs:
            by_set.setdefault(attrs, []).append(group_errors(attrs, key, sums, min_group_size, z))
    groups: list[RegressionGroup] = []
    gaps: list[RegressionGap] = []
    for attrs in sorted(by_set, key=lambda s: (len(s), [order.get(a, 99) for a in s])):
        members = sorted(by_set[attrs], key=lambda g: [str(g.key.get(a)) for a in attrs])
        groups.extend(members)
        gaps.append(_gap(attrs, members, thresholds))
    return RegressionFairnessResult(
        sensitive=tuple(sensitive),
        min_group_size=min_group_size,
        interval_method=f"normal approximation of a mean, {confidence:.0%} two-sided",
        confidence=confidence,
        groups=groups,
        gaps=gaps,
        status=worst([g.status for g in gaps]),
        threshold_mae_ratio=thresholds.regression_mae_ratio,
        definitions=dict(DEFINITIONS),
    )
