"""Parity of performance and fairness figures with scikit-learn, fairlearn and SciPy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from fairlearn import metrics as flm
from scipy import stats
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

from aimwell.assurance import assess, fairness_from_dict, merge_fairness

from .conftest import assert_close, spec
from .synth import SMALL_GROUP

TOL = 1e-9
FORMATS = ["parquet", "csv"]
MISSING = "<missing>"  # fairlearn cannot group by NaN, so nulls get a visible label


def _frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


def _valid(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["label"].notna() & df["pred"].notna()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_classification_matches_sklearn(fmt: str, reports: Any, tables: Any) -> None:
    perf = reports[(fmt, "exact")].performance
    df = _frame(tables["current"])
    v = _valid(df)
    y, p = v["label"].astype(int), v["pred"].astype(int)
    assert perf.n == len(v)
    assert perf.n_excluded == len(df) - len(v)
    tn, fp, fn, tp = skm.confusion_matrix(y, p).ravel()
    assert (perf.confusion.tp, perf.confusion.fp, perf.confusion.tn, perf.confusion.fn) == (
        tp, fp, tn, fn,
    )  # fmt: skip
    assert perf.accuracy == pytest.approx(skm.accuracy_score(y, p), abs=TOL)
    assert perf.precision == pytest.approx(skm.precision_score(y, p), abs=TOL)
    assert perf.recall == pytest.approx(skm.recall_score(y, p), abs=TOL)
    assert perf.f1 == pytest.approx(skm.f1_score(y, p), abs=TOL)

    s = df[df["label"].notna() & df["score"].notna()]
    ys, ss = s["label"].astype(int), s["score"].astype(float)
    assert ss.duplicated().sum() > 1000, "the log must contain tied scores"
    assert perf.n_scored == len(s)
    assert perf.roc_auc == pytest.approx(skm.roc_auc_score(ys, ss), abs=TOL)
    assert perf.brier == pytest.approx(skm.brier_score_loss(ys, ss), abs=TOL)
    prob_true, prob_pred = calibration_curve(ys, ss, n_bins=10, strategy="uniform")
    bins = [b for b in perf.calibration if b.count > 0]
    assert len(bins) == len(prob_true)
    np.testing.assert_allclose([b.fraction_positive for b in bins], prob_true, atol=TOL)
    np.testing.assert_allclose([b.mean_score for b in bins], prob_pred, atol=TOL)


def test_regression_matches_sklearn(logs: Any, tables: Any) -> None:
    rep = assess(
        logs["current"]["parquet"],
        spec(task="regression", label="f0", prediction="f1", score=None, sensitive=()),
    )
    df = _frame(tables["current"])
    v = df[df["f0"].notna() & df["f1"].notna()]
    perf = rep.performance
    assert perf.n == len(v) and perf.n_excluded == len(df) - len(v)
    assert perf.mae == pytest.approx(skm.mean_absolute_error(v["f0"], v["f1"]), abs=TOL)
    assert perf.rmse == pytest.approx(skm.root_mean_squared_error(v["f0"], v["f1"]), abs=TOL)
    assert perf.r2 == pytest.approx(skm.r2_score(v["f0"], v["f1"]), abs=TOL)


def _metric_frame(v: pd.DataFrame, attrs: list[str]) -> flm.MetricFrame:
    return flm.MetricFrame(
        metrics={
            "count": flm.count,
            "selection_rate": flm.selection_rate,
            "tpr": flm.true_positive_rate,
            "fpr": flm.false_positive_rate,
            "precision": lambda y, p: skm.precision_score(y, p, zero_division=np.nan),
            "error_rate": lambda y, p: 1 - skm.accuracy_score(y, p),
        },
        y_true=v["label"].astype(int),
        y_pred=v["pred"].astype(int),
        sensitive_features=v[attrs].fillna(MISSING),
    )


def test_fairness_matches_fairlearn(reports: Any, tables: Any) -> None:
    # fairlearn needs ~1 s per call on 100k rows, so parity is checked on the Parquet run;
    # test_csv_and_parquet_agree extends it to CSV.
    fair = reports[("parquet", "exact")].fairness
    v = _valid(_frame(tables["current"]))
    assert {tuple(d.attributes) for d in fair.disparities} == {
        ("sex",), ("region",), ("sex", "region"),
    }  # fmt: skip
    for disp in fair.disparities:
        attrs = list(disp.attributes)
        mf = _metric_frame(v, attrs).by_group
        mf = mf[mf["count"] > 0]  # fairlearn lists empty combinations too
        groups = [g for g in fair.groups if list(g.attributes) == attrs]
        assert len(groups) == len(mf)
        for g in groups:
            key = tuple(MISSING if g.key[a] is None else g.key[a] for a in attrs)
            row = mf.loc[key if len(key) > 1 else key[0]]
            assert g.counts.n == row["count"]
            assert g.judged == (row["count"] >= 30)
            for m in ("selection_rate", "tpr", "fpr", "precision", "error_rate"):
                ours = getattr(g, m)
                if ours is None:
                    # Zero denominator: we report "undefined"; scikit-learn gives 0 or NaN.
                    assert np.isnan(row[m]) or row[m] == 0
                else:
                    assert ours == pytest.approx(row[m], abs=TOL), (key, m)
        # The small group is reported but excluded from the disparity figures.
        if "sex" in attrs:
            assert any(SMALL_GROUP in label for label in disp.not_judged)
        judged_keys = {
            tuple(MISSING if g.key[a] is None else g.key[a] for a in attrs)
            for g in groups
            if g.judged
        }
        sf = v[attrs].fillna(MISSING)
        mask = np.array([tuple(r) in judged_keys for r in sf.itertuples(index=False)])
        j, sfj = v[mask], sf[mask]
        y, p = j["label"].astype(int), j["pred"].astype(int)
        expected = {
            "demographic_parity_difference": flm.demographic_parity_difference,
            "demographic_parity_ratio": flm.demographic_parity_ratio,
            "equalized_odds_difference": flm.equalized_odds_difference,
            "equalized_odds_ratio": flm.equalized_odds_ratio,
            "equal_opportunity_difference": flm.equal_opportunity_difference,
        }
        for name, fn in expected.items():
            assert getattr(disp, name) == pytest.approx(
                fn(y, p, sensitive_features=sfj), abs=TOL
            ), (attrs, name)


def test_wilson_intervals_match_scipy(reports: Any) -> None:
    fair = reports[("parquet", "exact")].fairness
    assert "wilson" in fair.interval_method
    checked = 0
    for g in fair.groups:
        c = g.counts
        for m, (k, n) in {
            "selection_rate": (c.tp + c.fp, c.n),
            "tpr": (c.tp, c.tp + c.fn),
            "fpr": (c.fp, c.fp + c.tn),
            "precision": (c.tp, c.tp + c.fp),
            "error_rate": (c.fp + c.fn, c.n),
        }.items():
            iv = g.intervals[m]
            if n == 0:
                assert iv is None
                continue
            ref = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            assert iv.low == pytest.approx(ref.low, abs=TOL)
            assert iv.high == pytest.approx(ref.high, abs=TOL)
            checked += 1
    assert checked > 50


def test_merge_of_two_windows_equals_whole(logs: Any, reports: Any) -> None:
    parts = sorted(logs["current"]["parquet"].glob("*.parquet"))
    assert len(parts) == 2
    a, b = (assess(p, spec()).fairness for p in parts)
    merged = merge_fairness(a, b)
    whole = reports[("parquet", "exact")].fairness
    assert_close(merged.to_dict(), whole.to_dict(), rel=TOL)
    # A stored window (JSON form) can be merged too.
    again = merge_fairness(fairness_from_dict(a.to_dict()), fairness_from_dict(b.to_dict()))
    assert_close(again.to_dict(), whole.to_dict(), rel=TOL)


def test_csv_and_parquet_agree(reports: Any) -> None:
    for mode in ("exact", "profile"):
        a = reports[("parquet", mode)].to_dict()
        b = reports[("csv", mode)].to_dict()
        for part in ("performance", "fairness", "drift", "explain"):
            assert_close(a[part], b[part], rel=TOL, path=part)


def test_explain_matches_pandas(reports: Any, tables: Any) -> None:
    ex = reports[("parquet", "exact")].explain
    df = _frame(tables["current"])
    assert ex.features == ["f0", "f1"]
    for f in ex.features:
        assert ex.global_mean_abs[f] == pytest.approx(df[f"shap_{f}"].abs().mean(), abs=TOL)
    by_sex = df.groupby("sex")["shap_f1"].apply(lambda s: s.abs().mean())
    for g in ex.groups:
        if list(g.attributes) == ["sex"]:
            assert g.mean_abs["f1"] == pytest.approx(by_sex[g.key["sex"]], abs=TOL)
    assert ex.ranking[0] == "f1"


def test_statuses_and_thresholds(reports: Any) -> None:
    fair = reports[("parquet", "exact")].fairness
    assert fair.thresholds["four_fifths"] == 0.8
    for d in fair.disparities:
        if d.demographic_parity_ratio is not None and d.demographic_parity_ratio < 0.8:
            assert d.status == "alert"
    assert fair.status in {"ok", "warning", "alert"}
