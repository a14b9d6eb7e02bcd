"""Reference profiles for one-pass drift monitoring.

A profile is built once per model version from the reference window and stored as JSON.
For a numeric column it keeps the PSI edges and a fine set of reference quantile edges (the
PSI edges are merged into them) with the reference count in every fine bin, plus moments.
Comparing a window then needs only the window's counts in the fine bins (``Binner``), which a
backend accumulates batch by batch without holding the window in memory.

Error bounds (recorded as ``tolerance``): both CDFs are known exactly at every edge (the
counts of values equal to each edge, "atoms", are kept too, which makes discrete and rounded
data exact). On an open interval (a, b) between edges with reference mass p and window mass
q, both CDFs are monotone, so
``F_ref - F_cur`` is confined to an interval computed from (p, q) and the endpoint values.
The KS estimate is the midpoint of the resulting [lower, upper] bound on the supremum; the
Wasserstein estimate the midpoint of the bounds on the integral. ``tolerance`` is the
half-width: the exact value is guaranteed to lie within it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from aimwell.assurance.config import Thresholds
from aimwell.assurance.errors import ProfileError

from . import measures as drift
from .binning import Binner, FloatArray, atoms_from_sorted, counts_from_sorted
from .results import FeatureDrift

PROFILE_VERSION = 1
DEFAULT_FINE_BINS = 10_000


@dataclass
class ColumnProfile:
    column: str
    kind: str  # "numeric" | "categorical"
    type: str
    n: int
    n_missing: int
    psi_bins: int = 10
    psi_edges: list[float] = field(default_factory=list)
    fine_edges: list[float] = field(default_factory=list)
    fine_counts: list[int] = field(default_factory=list)
    fine_atoms: list[int] = field(default_factory=list)
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    categories: list[list[Any]] = field(default_factory=list)  # [[value, count], ...]

    def __post_init__(self) -> None:
        self._binner: Binner | None = None

    def binner(self) -> Binner:
        if self._binner is None:
            self._binner = Binner(np.asarray(self.fine_edges, dtype=np.float64))
        return self._binner

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


def numeric_profile(
    column: str, type_name: str, ref_sorted: FloatArray, n_missing: int, psi_bins: int,
    fine_bins: int = DEFAULT_FINE_BINS,
) -> ColumnProfile:  # fmt: skip
    pe = drift.psi_edges(ref_sorted, psi_bins)
    if ref_sorted.size:
        fine = np.quantile(ref_sorted, np.linspace(0.0, 1.0, fine_bins + 1))
        # The extra edge just above the maximum isolates the reference's top value, so that
        # F_ref is exactly 1 beyond the last edge and the outer bins need no bound.
        top = np.nextafter(ref_sorted[-1], np.inf)
        fe = np.unique(np.concatenate((fine, pe, [top])))
    else:
        fe = np.empty(0)
    return ColumnProfile(
        column=column,
        kind="numeric",
        type=type_name,
        n=int(ref_sorted.size),
        n_missing=n_missing,
        psi_bins=psi_bins,
        psi_edges=pe.tolist(),
        fine_edges=fe.tolist(),
        fine_counts=counts_from_sorted(ref_sorted, fe).tolist(),
        fine_atoms=atoms_from_sorted(ref_sorted, fe).tolist(),
        min=float(ref_sorted[0]) if ref_sorted.size else None,
        max=float(ref_sorted[-1]) if ref_sorted.size else None,
        mean=float(np.mean(ref_sorted)) if ref_sorted.size else None,
        std=float(np.std(ref_sorted)) if ref_sorted.size else None,
    )


def categorical_profile(
    column: str, type_name: str, counts: dict[Any, int], n_missing: int
) -> ColumnProfile:
    cats = sorted(counts.items(), key=lambda kv: (str(type(kv[0])), str(kv[0])))
    return ColumnProfile(
        column=column,
        kind="categorical",
        type=type_name,
        n=int(sum(counts.values())),
        n_missing=n_missing,
        categories=[[k, int(v)] for k, v in cats],
    )


@dataclass
class ReferenceProfile:
    columns: dict[str, ColumnProfile]
    n_rows: int
    source: str = ""
    fine_bins: int = DEFAULT_FINE_BINS
    version: int = PROFILE_VERSION
    # Logical types and numeric min/max of every reference column, for data quality.
    schema: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, list[Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "source": self.source,
            "n_rows": self.n_rows,
            "fine_bins": self.fine_bins,
            "schema": self.schema,
            "ranges": self.ranges,
            "columns": {k: c.to_dict() for k, c in self.columns.items()},
        }

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.to_dict())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReferenceProfile:
        try:
            if int(data["version"]) != PROFILE_VERSION:
                raise ProfileError(f"unsupported profile version {data['version']}")
            cols = {k: ColumnProfile(**v) for k, v in data["columns"].items()}
            return cls(
                columns=cols,
                n_rows=int(data["n_rows"]),
                source=str(data.get("source", "")),
                fine_bins=int(data.get("fine_bins", DEFAULT_FINE_BINS)),
                schema=dict(data.get("schema", {})),
                ranges={k: list(v) for k, v in data.get("ranges", {}).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProfileError(f"invalid reference profile: {exc}") from exc

    @classmethod
    def from_json(cls, text_or_path: str | Path) -> ReferenceProfile:
        p = Path(text_or_path)
        try:
            text = p.read_text(encoding="utf-8") if p.exists() else str(text_or_path)
        except OSError:
            text = str(text_or_path)
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ProfileError(f"reference profile is not valid JSON: {exc}") from exc


@dataclass
class WindowAccumulator:
    """Counts of one numeric column of a window, accumulated batch by batch."""

    profile: ColumnProfile
    counts: np.ndarray | None = None
    atoms: np.ndarray | None = None
    n_missing: int = 0
    min: float = math.inf
    max: float = -math.inf

    def add(self, values: FloatArray, n_missing: int) -> None:
        self.n_missing += n_missing
        if values.size == 0:
            return
        c, a = self.profile.binner().counts_and_atoms(values)
        self.counts = c if self.counts is None else self.counts + c
        self.atoms = a if self.atoms is None else self.atoms + a
        self.min = min(self.min, float(values.min()))
        self.max = max(self.max, float(values.max()))


def _cdf_bounds(
    e: FloatArray,
    rc: np.ndarray,
    cc: np.ndarray,
    ra: np.ndarray,
    ca: np.ndarray,
    cur_min: float,
    cur_max: float,
) -> tuple[float, float, float, float]:
    """Lower/upper bounds for KS and Wasserstein from fine-bin counts (see module doc).

    Both CDFs are known exactly just below each edge (F(e-)) and at it (F(e) = F(e-) +
    atom); only inside the open intervals (e_k, e_k+1) are they unknown.
    """
    n1, n2 = rc.sum(), cc.sum()
    fr_minus = np.cumsum(rc)[:-1] / n1
    fc_minus = np.cumsum(cc)[:-1] / n2
    fr_at = fr_minus + ra / n1
    fc_at = fc_minus + ca / n2
    d_minus, d_at = fr_minus - fc_minus, fr_at - fc_at
    ks_low = float(max(np.max(np.abs(d_minus)), np.max(np.abs(d_at))))
    # Open interval (e_k, e_k+1): masses p (reference) and q (window).
    p = fr_minus[1:] - fr_at[:-1]
    q = fc_minus[1:] - fc_at[:-1]
    da, db = d_at[:-1], d_minus[1:]
    lo = np.maximum(da - q, db - p)
    hi = np.minimum(da + p, db + q)
    sup_abs = np.maximum(np.abs(lo), np.abs(hi))
    ks_high = max(ks_low, float(sup_abs.max()) if sup_abs.size else 0.0)
    inf_abs = np.where((lo <= 0) & (hi >= 0), 0.0, np.minimum(np.abs(lo), np.abs(hi)))
    width = np.diff(e)
    w_low = float(np.sum(width * inf_abs))
    w_high = float(np.sum(width * sup_abs))
    # Outer bins: below e_0 (the reference minimum) F_ref = 0 and from e_last (just above
    # the reference maximum) F_ref = 1, so |F_ref - F_cur| is bounded by the edge values.
    if cur_min < e[0]:
        w_high += (e[0] - cur_min) * fc_minus[0]
    if cur_max > e[-1]:
        w_high += (cur_max - e[-1]) * (1.0 - fc_at[-1])
    return ks_low, ks_high, w_low, w_high


def compare_numeric(acc: WindowAccumulator, th: Thresholds) -> FeatureDrift:
    prof = acc.profile
    e = np.asarray(prof.fine_edges, dtype=np.float64)
    rc = np.asarray(prof.fine_counts, dtype=np.int64)
    cc = acc.counts if acc.counts is not None else np.zeros(rc.size, dtype=np.int64)
    ra = np.asarray(prof.fine_atoms, dtype=np.int64)
    ca = acc.atoms if acc.atoms is not None else np.zeros(ra.size, dtype=np.int64)
    n1, n2 = int(rc.sum()), int(cc.sum())
    pe = np.asarray(prof.psi_edges, dtype=np.float64)
    # Fine bin j >= 1 starts at e[j-1]; its PSI bin is the number of PSI edges <= that start.
    psi_idx = np.concatenate(([0], np.searchsorted(pe, e, side="right")))
    rp = np.bincount(psi_idx, weights=rc, minlength=pe.size + 1)
    cp = np.bincount(psi_idx, weights=cc, minlength=pe.size + 1)
    d = w = d_tol = w_tol = None
    if n1 and n2 and e.size:
        ks_low, ks_high, w_low, w_high = _cdf_bounds(e, rc, cc, ra, ca, acc.min, acc.max)
        d, d_tol = (ks_low + ks_high) / 2, (ks_high - ks_low) / 2
        w, w_tol = (w_low + w_high) / 2, (w_high - w_low) / 2
    metrics = [
        drift.psi_metric(drift.psi(rp, cp), th),
        drift.ks_metric(d, n1, n2, th, d_tol),
        *drift.wasserstein_metrics(w, prof.std or 0.0, th, w_tol),
        drift.js_metric(drift.jensen_shannon(rp, cp), th),
    ]
    return drift._feature(
        prof.column, "numeric", "profile", n1, n2, prof.n_missing, acc.n_missing,
        drift.psi_binning_text(prof.psi_bins, pe.size)
        + f"; KS and Wasserstein from {e.size + 1} fine reference quantile bins "
        "(midpoint of guaranteed bounds, half-width in tolerance)",
        metrics,
    )  # fmt: skip


def compare_categorical(
    prof: ColumnProfile, cur_counts: dict[Any, int], n_missing: int, th: Thresholds
) -> FeatureDrift:
    ref = dict(prof.categories)
    return drift.categorical(prof.column, ref, cur_counts, prof.n_missing, n_missing, "profile", th)
