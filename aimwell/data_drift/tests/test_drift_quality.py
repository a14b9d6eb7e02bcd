"""Drift parity with SciPy (exact mode), profile-mode tolerances, data quality."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from aimwell.assurance import assess, build_profile
from aimwell.assurance.tests.conftest import FEATURES, assert_close, spec
from aimwell.data_drift import ReferenceProfile
from aimwell.data_drift.binning import Binner
from aimwell.data_drift.measures import PSI_EPSILON

TOL = 1e-9
NUMERIC = ["f0", "f1", "f2", "age", "score"]


def _values(table: pa.Table, col: str) -> np.ndarray:
    arr = table.column(col).to_numpy(zero_copy_only=False).astype(np.float64)
    return arr[~np.isnan(arr)]


def _psi_reference(ref: np.ndarray, cur: np.ndarray, n_bins: int = 10) -> tuple[float, float]:
    """Independent PSI/JS: np.histogram on the reference deciles with open outer bins."""
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))
    bins = np.concatenate(([-np.inf], edges, [np.inf]))
    r = np.histogram(ref, bins)[0] / ref.size
    c = np.histogram(cur, bins)[0] / cur.size
    rr, cc = np.maximum(r, PSI_EPSILON), np.maximum(c, PSI_EPSILON)
    return float(np.sum((cc - rr) * np.log(cc / rr))), float(jensenshannon(r, c, base=2))


def _feature(report: Any, col: str) -> Any:
    return next(f for f in report.drift.features if f.column == col)


def test_exact_drift_matches_scipy(reports: Any, tables: Any) -> None:
    rep = reports[("parquet", "exact")]
    assert [f.column for f in rep.drift.features] == [*FEATURES, "score"]
    for col in NUMERIC:
        ref, cur = _values(tables["reference"], col), _values(tables["current"], col)
        f = _feature(rep, col)
        assert (f.n_reference, f.n_current) == (ref.size, cur.size)
        assert f.n_reference_missing == tables["reference"].num_rows - ref.size
        ks = stats.ks_2samp(ref, cur, method="asymp")
        m = f.metrics
        assert m["ks"].value == pytest.approx(ks.statistic, abs=TOL)
        assert m["ks"].p_value == pytest.approx(ks.pvalue, abs=TOL)
        w = stats.wasserstein_distance(ref, cur)
        assert m["wasserstein"].value == pytest.approx(w, abs=TOL)
        assert m["wasserstein_normed"].value == pytest.approx(w / np.std(ref), abs=TOL)
        psi, js = _psi_reference(ref, cur)
        assert m["psi"].value == pytest.approx(psi, abs=TOL)
        assert m["jensen_shannon"].value == pytest.approx(js, abs=TOL)
        assert m["psi"].threshold == {"warning": 0.1, "alert": 0.25}
        assert "quantile" in f.binning


def test_chi_square_matches_scipy(reports: Any, tables: Any) -> None:
    ref = tables["reference"].column("channel").to_pylist()
    cur = tables["current"].column("channel").to_pylist()
    cats = sorted(set(ref) | set(cur))
    table = np.array([[ref.count(c) for c in cats], [cur.count(c) for c in cats]])
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    for mode in ("exact", "profile"):
        m = _feature(reports[("parquet", mode)], "channel").metrics
        assert m["chi_square"].value == pytest.approx(chi2, rel=TOL)
        assert m["chi_square"].p_value == pytest.approx(p, abs=TOL)
        assert m["psi"].value > 0


def test_profile_mode_within_stated_tolerance(reports: Any) -> None:
    exact, prof = reports[("parquet", "exact")], reports[("parquet", "profile")]
    assert prof.drift.mode == "profile"
    for col in NUMERIC:
        e, p = _feature(exact, col).metrics, _feature(prof, col).metrics
        # PSI and JS share the profile's bins: exact.
        assert p["psi"].value == pytest.approx(e["psi"].value, abs=1e-12)
        assert p["jensen_shannon"].value == pytest.approx(e["jensen_shannon"].value, abs=1e-12)
        for name in ("ks", "wasserstein", "wasserstein_normed"):
            tol = p[name].tolerance
            assert tol is not None and tol < 0.01
            assert abs(p[name].value - e[name].value) <= tol + 1e-12, (col, name)
        assert p["ks"].tolerance <= 1e-4


def test_profile_json_round_trip(logs: Any, reports: Any, tmp_path: Any) -> None:
    cols = [*FEATURES, "score"]
    prof = build_profile(logs["reference"]["parquet"], cols)
    path = tmp_path / "profile.json"
    prof.to_json(path)
    loaded = ReferenceProfile.from_json(path)
    rep = assess(logs["current"]["parquet"], spec(), profile=loaded)
    a = rep.drift.to_dict()
    b = reports[("parquet", "profile")].drift.to_dict()
    assert_close(a, b, rel=1e-12)
    # Quality checks work from the profile alone.
    assert rep.quality.columns and any(c.new_categories for c in rep.quality.columns)


def test_binner_is_exact() -> None:
    rng = np.random.default_rng(7)
    for ref in (rng.normal(size=50_000), rng.lognormal(0, 3, 50_000), rng.integers(0, 5, 5000)):
        edges = np.unique(np.quantile(ref.astype(float), np.linspace(0, 1, 2001)))
        x = np.concatenate((ref[:20_000] * 1.1, edges, [-1e300, 1e300])).astype(float)
        got = Binner(edges).counts(x)
        want = np.bincount(np.searchsorted(edges, x, side="right"), minlength=edges.size + 1)
        np.testing.assert_array_equal(got, want)
        counts, atoms = Binner(edges).counts_and_atoms(x)
        np.testing.assert_array_equal(counts, want)
        np.testing.assert_array_equal(atoms, [np.sum(x == v) for v in edges])


def test_quality_matches_pandas(reports: Any, tables: Any) -> None:
    q = reports[("parquet", "exact")].quality
    cur = tables["current"].to_pandas()
    ref = tables["reference"].to_pandas()
    cols = {c.column: c for c in q.columns}
    assert q.n_rows == len(cur)
    for name in cur.columns:
        assert cols[name].missing == int(cur[name].isna().sum()), name
    for name in ("f0", "age"):
        lo, hi = ref[name].min(), ref[name].max()
        v = cur[name].dropna()
        assert cols[name].out_of_range == int(((v < lo) | (v > hi)).sum())
        assert cols[name].reference_min == pytest.approx(lo)
    assert cols["channel"].new_categories == ["d"]
    assert cols["channel"].status == "warning"
    assert q.missing_columns == [] and q.extra_columns == [] and q.type_changes == {}


def test_schema_changes_are_reported(tmp_path: Any, tables: Any, logs: Any) -> None:
    t = tables["current"].drop_columns(["f2"]).append_column("extra", pa.array([1] * 100_000))
    t = t.set_column(t.schema.get_field_index("age"), "age", t.column("age").cast(pa.float64()))
    path = tmp_path / "changed.parquet"
    pq.write_table(t, path)
    s = spec(features=("f0", "channel"))
    q = assess(path, s, reference=logs["reference"]["parquet"]).quality
    assert q.missing_columns == ["f2"]
    assert q.extra_columns == ["extra"]
    assert q.type_changes == {"age": {"reference": "integer", "current": "float"}}
    assert q.status == "alert"
