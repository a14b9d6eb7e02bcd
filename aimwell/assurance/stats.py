"""Small statistical helpers computed from counts, shared by all backends."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

from .results import Interval


def ratio(num: float, den: float) -> float | None:
    """num/den, or None when the denominator is zero (the rate is undefined)."""
    return None if den == 0 else num / den


def normal_quantile(p: float) -> float:
    """The standard normal quantile. The standard library's (Wichura's AS241, within 1e-15
    of SciPy's ndtri) spares fairness-only runs the ~0.15 s of CPU that importing
    scipy.special costs at start-up."""
    return NormalDist().inv_cdf(p)


def wilson_interval(k: int, n: int, confidence: float) -> Interval | None:
    """Wilson score interval for a binomial proportion (no continuity correction).

    Chosen over the normal (Wald) interval because it stays inside [0, 1] and keeps its
    coverage for small groups and rates near 0 or 1, which is exactly where fairness
    judgements are fragile. Endpoints are pinned to 0/1 when k is 0/n, as SciPy does.
    """
    if n <= 0:
        return None
    z = normal_quantile(0.5 + 0.5 * confidence)
    p = k / n
    denom = 2 * (n + z * z)
    center = (2 * n * p + z * z) / denom
    delta = z / denom * math.sqrt(4 * n * p * (1 - p) + z * z)
    low = 0.0 if k == 0 else center - delta
    high = 1.0 if k == n else center + delta
    return Interval(low, high)


def auc_from_rank_sums(twice_u: int, n_pos: int, n_neg: int) -> float | None:
    """ROC AUC from the Mann-Whitney statistic counted with ties as one half.

    ``twice_u`` = 2 * sum over positives of (#negatives with a lower score) + (#negatives
    with an equal score). Counting ties as 1/2 is exactly the area of the trapezoids that
    scikit-learn integrates, so the result equals ``roc_auc_score`` with tied scores. The
    integer numerator keeps it exact for any log size.
    """
    if n_pos == 0 or n_neg == 0:
        return None
    return twice_u / (2 * n_pos * n_neg)


def calibration_edges(n_bins: int) -> list[float]:
    """Uniform edges on [0, 1], the same floats as ``np.linspace`` in scikit-learn."""
    return [float(x) for x in np.linspace(0.0, 1.0, n_bins + 1)]


def calibration_case_sql(column: str, edges: Sequence[float]) -> str:
    """SQL CASE assigning a score to a calibration bin.

    Bins are (e_i, e_i+1] with the first closed on the left, i.e. ``np.searchsorted(inner,
    score, side='left')`` as in ``sklearn.calibration.calibration_curve``. The literal edges
    are printed with ``repr`` so that SQL compares against exactly the same doubles.
    """
    inner = edges[1:-1]
    parts = [f"WHEN {column} <= {e!r} THEN {i}" for i, e in enumerate(inner)]
    return "CASE " + " ".join(parts) + f" ELSE {len(inner)} END" if parts else "0"
