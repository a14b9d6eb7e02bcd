"""Model performance from aggregates computed by a backend.

Classification metrics come from the confusion counts (the positive class is the configured
``pos_label``); ROC AUC from per-score positive/negative counts (exact with ties); Brier from
the sum of squared errors; calibration from uniform score bins. Regression metrics come from
sums of absolute and squared errors and the population variance of the label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .results import (
    CalibrationBin,
    ClassificationPerformance,
    ClassMetrics,
    ConfusionCounts,
    MulticlassPerformance,
    RegressionPerformance,
)
from .stats import auc_from_rank_sums, ratio


@dataclass
class ScoreAggregates:
    """Score-based aggregates for the rows with a label and a score."""

    n_scored: int = 0
    n_pos: int = 0
    twice_u: int = 0
    sum_sq_error: float = 0.0
    # per calibration bin: (count, sum of scores, count of positives)
    bins: list[tuple[int, float, int]] = field(default_factory=list)


def classification(
    counts: ConfusionCounts,
    n_excluded: int,
    scores: ScoreAggregates | None,
    calibration_edges: list[float],
) -> ClassificationPerformance:
    c = counts
    precision = ratio(c.tp, c.tp + c.fp)
    recall = ratio(c.tp, c.tp + c.fn)
    # F1 as 2tp / (2tp + fp + fn): equal to the harmonic mean but defined whenever there is
    # any positive prediction or label, like scikit-learn's f1_score.
    f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)
    perf = ClassificationPerformance(
        n=c.n,
        n_excluded=n_excluded,
        confusion=c,
        accuracy=ratio(c.tp + c.tn, c.n),
        precision=precision,
        recall=recall,
        f1=f1,
    )
    if scores is not None and scores.n_scored > 0:
        perf.n_scored = scores.n_scored
        perf.roc_auc = auc_from_rank_sums(
            scores.twice_u, scores.n_pos, scores.n_scored - scores.n_pos
        )
        perf.brier = scores.sum_sq_error / scores.n_scored
        perf.calibration = [
            CalibrationBin(
                lower=calibration_edges[i],
                upper=calibration_edges[i + 1],
                count=n,
                mean_score=ratio(s, n),
                fraction_positive=ratio(p, n),
            )
            for i, (n, s, p) in enumerate(scores.bins)
        ]
        perf.calibration_binning = (
            f"{len(calibration_edges) - 1} uniform bins on [0, 1], right-closed "
            "(as sklearn.calibration.calibration_curve, strategy='uniform')"
        )
    return perf


def _class_sort_key(value: object) -> tuple[str, object]:
    return (type(value).__name__, value)


def multiclass(cells: dict[tuple[object, object], int], n_excluded: int) -> MulticlassPerformance:
    """Per-class (one-vs-rest) and averaged metrics from the (actual, predicted) -> rows
    counts of the rows with both values; the classes are every value seen on either side."""
    classes = sorted({a for a, _ in cells} | {p for _, p in cells}, key=_class_sort_key)
    index = {c: i for i, c in enumerate(classes)}
    k = len(classes)
    matrix = [[0] * k for _ in range(k)]
    for (actual, predicted), count in cells.items():
        matrix[index[actual]][index[predicted]] += count
    n = sum(cells.values())
    per_class = []
    for i, value in enumerate(classes):
        tp = matrix[i][i]
        support = sum(matrix[i])
        predicted = sum(row[i] for row in matrix)
        per_class.append(
            ClassMetrics(
                value=value,
                support=support,
                predicted=predicted,
                precision=ratio(tp, predicted),
                recall=ratio(tp, support),
                f1=ratio(2 * tp, support + predicted),
            )
        )

    def mean(values: list[float | None], weights: list[int] | None = None) -> float | None:
        if not values:
            return None
        w = weights or [1] * len(values)
        return ratio(sum((v or 0.0) * x for v, x in zip(values, w, strict=True)), sum(w))

    return MulticlassPerformance(
        n=n,
        n_excluded=n_excluded,
        classes=classes,
        accuracy=ratio(sum(matrix[i][i] for i in range(k)), n),
        macro_precision=mean([c.precision for c in per_class]),
        macro_recall=mean([c.recall for c in per_class]),
        macro_f1=mean([c.f1 for c in per_class]),
        weighted_f1=mean([c.f1 for c in per_class], [c.support for c in per_class]),
        per_class=per_class,
        confusion_matrix=matrix,
    )


def regression(
    n: int, n_excluded: int, sum_abs: float, sum_sq: float, label_var_pop: float | None
) -> RegressionPerformance:
    if n == 0:
        return RegressionPerformance(n=0, n_excluded=n_excluded, mae=None, rmse=None, r2=None)
    # scikit-learn returns 1.0 for a perfect fit of a constant label and 0.0 otherwise;
    # we report None: R2 is undefined without label variance.
    undefined = label_var_pop is None or label_var_pop == 0
    r2 = None if undefined else 1.0 - sum_sq / (label_var_pop * n)  # type: ignore[operator]
    return RegressionPerformance(
        n=n, n_excluded=n_excluded, mae=sum_abs / n, rmse=math.sqrt(sum_sq / n), r2=r2
    )
