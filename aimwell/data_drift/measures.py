"""Distribution drift between a reference window and a current window.

Two modes share the same definitions:

* **exact**: both samples are sorted once; KS, Wasserstein, PSI and Jensen-Shannon are read
  off the two empirical CDFs and equal SciPy's functions to floating-point precision.
* **profile**: the reference is summarised once as a ``ColumnProfile`` (the PSI edges plus
  fine quantile edges with counts); a window is binned in one pass. PSI and Jensen-Shannon
  are exact (their bins are unions of the profile's bins); KS and Wasserstein are estimated
  with a rigorous error bound, recorded in ``DriftMetric.tolerance``.

Binning (both modes): ``psi_bins`` quantile bins of the reference (``numpy.quantile``, linear
interpolation), duplicate edges merged, bins [e_i, e_i+1) with open-ended outer bins.
PSI = sum((c - r) * ln(c / r)) with proportions clipped below at ``PSI_EPSILON`` so that an
empty bin does not give an infinite value. Jensen-Shannon is the *distance* (square root of
the divergence) in base 2 on the same bins, so it lies in [0, 1].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from aimwell.assurance.config import Thresholds
from aimwell.assurance.results import Status

from .binning import FloatArray, counts_from_sorted
from .results import DriftMetric, FeatureDrift

PSI_EPSILON = 1e-4
JS_BASE = 2.0
WASSERSTEIN_NORM = "reference standard deviation (population, ddof=0)"


def psi_edges(ref_sorted: FloatArray, n_bins: int) -> FloatArray:
    if ref_sorted.size == 0:
        return np.empty(0)
    q = np.quantile(ref_sorted, np.linspace(0.0, 1.0, n_bins + 1)[1:-1])
    return np.unique(q)


def psi_binning_text(n_bins: int, n_edges: int) -> str:
    return (
        f"{n_bins} quantile bins of the reference (numpy linear quantiles, "
        f"{n_edges + 1} after merging tied edges), [e_i, e_i+1), epsilon {PSI_EPSILON}"
    )


def psi(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float | None:
    nr, nc = ref_counts.sum(), cur_counts.sum()
    if nr == 0 or nc == 0:
        return None
    r = np.maximum(ref_counts / nr, PSI_EPSILON)
    c = np.maximum(cur_counts / nc, PSI_EPSILON)
    return float(np.sum((c - r) * np.log(c / r)))


def jensen_shannon(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float | None:
    nr, nc = ref_counts.sum(), cur_counts.sum()
    if nr == 0 or nc == 0:
        return None
    p, q = ref_counts / nr, cur_counts / nc
    m = (p + q) / 2
    # rel_entr handles 0 * log(0) = 0, as SciPy's jensenshannon does.
    div = (np.sum(_rel_entr(p, m)) + np.sum(_rel_entr(q, m))) / 2
    return float(math.sqrt(max(div, 0.0) / math.log(JS_BASE)))


def _rel_entr(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from scipy.special import rel_entr

    return np.asarray(rel_entr(a, b))


def ks_p_value(d: float, n1: int, n2: int) -> float:
    """Two-sided asymptotic p-value as scipy.stats.ks_2samp(method='asymp')."""
    from scipy import stats  # imported on first use: scipy.stats costs ~1 s of start-up

    m, n = max(n1, n2), min(n1, n2)
    en = m * n / (m + n)
    return float(np.clip(stats.kstwo.sf(d, np.round(en)), 0.0, 1.0))


def _status_high(value: float | None, warning: float, alert: float | None = None) -> Status:
    if value is None:
        return "not_judged"
    if alert is not None and value >= alert:
        return "alert"
    return "warning" if value >= warning else "ok"


def _status_p(p: float | None, level: float) -> Status:
    if p is None:
        return "not_judged"
    return "warning" if p < level else "ok"


def psi_metric(value: float | None, th: Thresholds) -> DriftMetric:
    return DriftMetric(
        name="psi",
        value=value,
        status=_status_high(value, th.psi_warning, th.psi_alert),
        threshold={"warning": th.psi_warning, "alert": th.psi_alert},
        method="population stability index on reference quantile bins",
    )


def js_metric(value: float | None, th: Thresholds) -> DriftMetric:
    return DriftMetric(
        name="jensen_shannon",
        value=value,
        status=_status_high(value, th.jensen_shannon_warning),
        threshold={"warning": th.jensen_shannon_warning},
        method="Jensen-Shannon distance, base 2, on the PSI bins",
    )


def ks_metric(d: float | None, n1: int, n2: int, th: Thresholds, tol: float | None) -> DriftMetric:
    p = None if d is None else ks_p_value(d, n1, n2)
    return DriftMetric(
        name="ks",
        value=d,
        p_value=p,
        status=_status_p(p, th.p_value_warning),
        threshold={"p_value_warning": th.p_value_warning},
        tolerance=tol,
        method="two-sample Kolmogorov-Smirnov, two-sided, asymptotic p-value (kstwo)",
    )


def wasserstein_metrics(
    w: float | None, ref_std: float, th: Thresholds, tol: float | None
) -> list[DriftMetric]:
    normed = None if w is None or ref_std <= 0 else w / ref_std
    return [
        DriftMetric(
            name="wasserstein",
            value=w,
            status="ok" if w is not None else "not_judged",
            tolerance=tol,
            method="first Wasserstein distance between the empirical distributions",
        ),
        DriftMetric(
            name="wasserstein_normed",
            value=normed,
            status=_status_high(normed, th.wasserstein_normed_warning),
            threshold={"warning": th.wasserstein_normed_warning},
            tolerance=None if tol is None or ref_std <= 0 else tol / ref_std,
            method=f"Wasserstein distance divided by the {WASSERSTEIN_NORM}",
        ),
    ]


def _feature(
    column: str,
    kind: Any,
    mode: Any,
    n_ref: int,
    n_cur: int,
    miss_ref: int,
    miss_cur: int,
    binning: str,
    metrics: list[DriftMetric],
) -> FeatureDrift:
    by_name = {m.name: m for m in metrics}
    # The feature's status is the PSI status: PSI has agreed warning/alert levels, whereas
    # p-values become significant for harmless shifts on large logs (they only warn, and
    # are reported alongside).
    status = by_name["psi"].status
    return FeatureDrift(
        column=column,
        kind=kind,
        mode=mode,
        n_reference=n_ref,
        n_current=n_cur,
        n_reference_missing=miss_ref,
        n_current_missing=miss_cur,
        binning=binning,
        metrics=by_name,
        status=status,
    )


def _ks_wasserstein(r: FloatArray, c: FloatArray) -> tuple[float, float]:
    """KS statistic and Wasserstein distance of two sorted samples in linear passes.

    The samples are merged with a stable argsort of their concatenation, which for two
    sorted runs is a single linear merge (timsort). Both empirical CDFs only change at
    distinct values, so they are read at the end of each run of equal values (SciPy
    evaluates them with side='right' at every point, which gives the same values), then
    D = max |F_r - F_c| and W = sum |F_r - F_c| * (next distinct value - value).
    """
    n1, n2 = r.size, c.size
    both = np.concatenate((r, c))
    order = np.argsort(both, kind="stable")
    merged = both[order]
    is_ref = order < n1
    ends = np.flatnonzero(np.append(merged[1:] != merged[:-1], True))
    cum_r = np.cumsum(is_ref)[ends]
    diff = cum_r / n1 - (ends + 1 - cum_r) / n2
    d = float(max(np.max(diff), -np.min(diff), 0.0))
    w = float(np.sum(np.abs(diff[:-1]) * np.diff(merged[ends])))
    return d, w


def numeric_exact(
    column: str,
    ref_sorted: FloatArray,
    cur_sorted: FloatArray,
    miss_ref: int,
    miss_cur: int,
    n_bins: int,
    th: Thresholds,
) -> FeatureDrift:
    """Exact statistics of two sorted samples (NaN and nulls already removed)."""
    n1, n2 = ref_sorted.size, cur_sorted.size
    edges = psi_edges(ref_sorted, n_bins)
    d: float | None = None
    w: float | None = None
    if n1 and n2:
        d, w = _ks_wasserstein(ref_sorted, cur_sorted)
    rc = counts_from_sorted(ref_sorted, edges)
    cc = counts_from_sorted(cur_sorted, edges)
    ref_std = float(np.std(ref_sorted)) if n1 else 0.0
    metrics = [
        psi_metric(psi(rc, cc), th),
        ks_metric(d, n1, n2, th, None),
        *wasserstein_metrics(w, ref_std, th, None),
        js_metric(jensen_shannon(rc, cc), th),
    ]
    return _feature(
        column, "numeric", "exact", n1, n2, miss_ref, miss_cur,
        psi_binning_text(n_bins, edges.size), metrics,
    )  # fmt: skip


def categorical(
    column: str,
    ref_counts: dict[Any, int],
    cur_counts: dict[Any, int],
    miss_ref: int,
    miss_cur: int,
    mode: Any,
    th: Thresholds,
) -> FeatureDrift:
    """Chi-square test of homogeneity (2 x K table, no continuity correction), PSI and JS."""
    cats = sorted(set(ref_counts) | set(cur_counts), key=lambda v: (str(type(v)), str(v)))
    r = np.array([ref_counts.get(c, 0) for c in cats], dtype=np.float64)
    c = np.array([cur_counts.get(c, 0) for c in cats], dtype=np.float64)
    n1, n2 = int(r.sum()), int(c.sum())
    chi: float | None = None
    p: float | None = None
    if n1 and n2:
        table = np.vstack((r, c))
        keep = table.sum(axis=0) > 0
        table = table[:, keep]
        if table.shape[1] < 2:
            chi, p = 0.0, 1.0
        else:
            expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
            chi = float(np.sum((table - expected) ** 2 / expected))
            from scipy import special  # chi-square survival function without scipy.stats

            p = float(special.chdtrc(table.shape[1] - 1, chi))
    metrics = [
        psi_metric(psi(r, c), th),
        DriftMetric(
            name="chi_square",
            value=chi,
            p_value=p,
            status=_status_p(p, th.p_value_warning),
            threshold={"p_value_warning": th.p_value_warning},
            method="chi-square test of homogeneity on the 2 x K category table, "
            "no continuity correction",
        ),
        js_metric(jensen_shannon(r, c), th),
    ]
    return _feature(
        column, "categorical", mode, n1, n2, miss_ref, miss_cur,
        f"one bin per category ({len(cats)} categories), epsilon {PSI_EPSILON} for PSI",
        metrics,
    )  # fmt: skip
