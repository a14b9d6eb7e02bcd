"""No silent wrong answers: multiclass labels, a positive label that never occurs, a
continuous sensitive attribute, and groups left out of the judgement (each is now a correct
result compared with scikit-learn, or a clear error)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn import metrics as skm

from aimwell.assurance import ColumnSpec, ConfigurationError, assess
from aimwell.assurance.results import MulticlassPerformance

from .conftest import run_cli

N = 3_000


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rng = np.random.default_rng(7)
    d = tmp_path_factory.mktemp("guards")
    classes = np.array(["cat", "dog", "emu"])
    y = rng.choice(classes, N, p=[0.5, 0.3, 0.2])
    # A classifier right two times in three, wrong uniformly otherwise; "fox" is predicted a
    # few times but never occurs as a label (a class on one side only).
    yhat = np.where(rng.random(N) < 0.66, y, rng.choice(classes, N))
    yhat[:7] = "fox"
    y_mask = rng.random(N) < 0.02
    multi = pa.table({"y": pa.array(y, mask=y_mask), "yhat": pa.array(yhat), "p": rng.random(N)})
    pq.write_table(multi, d / "multi.parquet")
    binary_y = rng.integers(0, 2, N)
    binary = pa.table(
        {
            "y": pa.array(np.where(binary_y == 1, "yes", "no")),
            "yhat": pa.array(np.where(rng.random(N) < 0.5, "yes", "no")),
            "y01": pa.array(binary_y),
            "pred01": pa.array(rng.integers(0, 2, N)),
            "income": pa.array(np.round(rng.normal(40_000, 9_000, N), 2)),
            "sex": pa.array(np.where(np.arange(N) < 10, "x", rng.choice(["f", "m"], N))),
        }
    )
    pq.write_table(binary, d / "binary.parquet")
    return {"multi": d / "multi.parquet", "binary": d / "binary.parquet", "dir": d,
            "multi_table": multi, "binary_table": binary}  # fmt: skip


def test_multiclass_is_reported_per_class_and_macro_like_scikit_learn(logs: dict[str, Any]) -> None:
    report = assess(logs["multi"], ColumnSpec(label="y", prediction="yhat"))
    perf = report.performance
    assert isinstance(perf, MulticlassPerformance)
    df = logs["multi_table"].to_pandas().dropna(subset=["y", "yhat"])
    labels = sorted(set(df["y"]) | set(df["yhat"]))
    assert perf.classes == labels == ["cat", "dog", "emu", "fox"]
    assert perf.n == len(df) and perf.n_excluded == N - len(df)
    assert perf.accuracy == pytest.approx(skm.accuracy_score(df["y"], df["yhat"]), abs=1e-15)
    p, r, f, support = skm.precision_recall_fscore_support(
        df["y"], df["yhat"], labels=labels, zero_division=0
    )
    for i, c in enumerate(perf.per_class):
        assert c.support == support[i]
        assert (c.precision or 0.0) == pytest.approx(p[i], abs=1e-15)
        assert (c.recall or 0.0) == pytest.approx(r[i], abs=1e-15)
        assert (c.f1 or 0.0) == pytest.approx(f[i], abs=1e-15)
    fox = perf.per_class[3]
    assert fox.support == 0 and fox.recall is None and fox.precision == 0.0
    for ours, average in (
        ("macro_precision", "macro"),
        ("macro_recall", "macro"),
        ("weighted_f1", "weighted"),
    ):
        metric = skm.precision_score if "precision" in ours else skm.recall_score
        if ours.endswith("f1"):
            metric = skm.f1_score
        expected = metric(df["y"], df["yhat"], labels=labels, average=average, zero_division=0)
        assert getattr(perf, ours) == pytest.approx(expected, abs=1e-15), ours
    expected_f1 = skm.f1_score(df["y"], df["yhat"], labels=labels, average="macro", zero_division=0)
    assert perf.macro_f1 == pytest.approx(expected_f1, abs=1e-15)
    assert (
        perf.confusion_matrix == skm.confusion_matrix(df["y"], df["yhat"], labels=labels).tolist()
    )
    assert "Multiclass label (3 classes)" in report.headline[0]


def test_multiclass_with_only_a_score_or_with_fairness_is_refused(logs: dict[str, Any]) -> None:
    with pytest.raises(
        ConfigurationError, match=r"3 classes \('cat', 'dog', 'emu'\).*--prediction"
    ):
        assess(logs["multi"], ColumnSpec(label="y", score="p"))
    with pytest.raises(ConfigurationError, match="fairness metrics need a binary outcome"):
        assess(logs["multi"], ColumnSpec(label="y", prediction="yhat", sensitive=("yhat",)))


def test_positive_label_that_never_occurs_names_the_values_found(logs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError) as info:
        assess(logs["binary"], ColumnSpec(label="y", prediction="yhat"))  # default pos_label 1
    assert "positive label '1' (--pos-label) never occurs" in str(info.value)
    assert "values found: 'no', 'yes'" in str(info.value)
    result = run_cli(*["report", str(logs["binary"]), "--label", "y", "--prediction", "yhat",
              "--out", str(logs["dir"] / "r")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "values found: 'no', 'yes'" in result.output
    ok = assess(logs["binary"], ColumnSpec(label="y", prediction="yhat", pos_label="yes"))
    df = logs["binary_table"].to_pandas()
    expected = skm.recall_score(df["y"], df["yhat"], pos_label="yes")
    assert ok.performance.recall == pytest.approx(expected, abs=1e-15)  # type: ignore[union-attr]


def test_label_and_prediction_without_a_shared_value_are_refused(logs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match="share no value"):
        assess(logs["binary"], ColumnSpec(label="y", prediction="pred01", pos_label="yes"))


def test_continuous_sensitive_attribute_is_refused_with_binning_advice(
    logs: dict[str, Any],
) -> None:
    spec = ColumnSpec(label="y01", prediction="pred01", sensitive=("income",))
    with pytest.raises(ConfigurationError) as info:
        assess(logs["binary"], spec)
    message = str(info.value)
    n_distinct = logs["binary_table"].column("income").to_pandas().nunique()
    assert f"'income' has {n_distinct} distinct values" in message
    assert "limit of 200 groups" in message and "--bin income=" in message
    # A lower limit applies to any attribute; a higher one lets the log through.
    with pytest.raises(ConfigurationError, match="limit of 2 groups"):
        assess(logs["binary"], ColumnSpec(label="y01", prediction="pred01", sensitive=("sex",),
                                          max_groups=2))  # fmt: skip


def test_bin_groups_a_numeric_attribute_into_intervals(logs: dict[str, Any]) -> None:
    edges = (30_000.0, 45_000.0)
    spec = ColumnSpec(label="y01", prediction="pred01", sensitive=("income",),
                      bins=(("income", edges),), min_group_size=1)  # fmt: skip
    report = assess(logs["binary"], spec)
    assert report.fairness is not None
    df = logs["binary_table"].to_pandas()
    bucket = np.select([df["income"] < 30_000, df["income"] < 45_000],
                       ["< 30000", "[30000, 45000)"], ">= 45000")  # fmt: skip
    groups = {g.key["income"]: g for g in report.fairness.groups}
    assert set(groups) == {"< 30000", "[30000, 45000)", ">= 45000"}
    for name, g in groups.items():
        rows = df[bucket == name]
        assert g.n_rows == len(rows)
        assert g.selection_rate == pytest.approx(rows["pred01"].mean(), abs=1e-15)
    result = run_cli(*["report", str(logs["binary"]), "--label", "y01", "--prediction", "pred01",
              "--sensitive", "income", "--bin", "income=30000,45000", "--quiet",
              "--output", str(logs["dir"] / "binned.json")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    bad = run_cli(*["report", str(logs["binary"]), "--label", "y01", "--prediction", "pred01",
              "--sensitive", "income", "--bin", "income=high,low"],
    )  # fmt: skip
    assert bad.exit_code == 2 and "edges must be numbers" in bad.output


def test_groups_below_the_minimum_size_are_named_in_the_headline(logs: dict[str, Any]) -> None:
    spec = ColumnSpec(label="y01", prediction="pred01", sensitive=("sex",))
    report = assess(logs["binary"], spec)
    assert report.headline == [
        "1 group(s) below --min-group-size 30 excluded from the fairness judgement: sex=x (10 rows)"
    ]
    out = logs["dir"] / "headline.html"
    result = run_cli(*["report", str(logs["binary"]), "--label", "y01", "--prediction", "pred01",
              "--sensitive", "sex", "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0
    assert "note: 1 group(s) below --min-group-size 30" in result.output
    html = out.read_text()
    assert html.index("sex=x (10 rows)") < html.index("<h2>")


def test_help_explains_the_minimum_group_size_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = run_cli("report", "--help")
    text = " ".join(result.output.split())
    assert "rule of thumb" in text and "default: 30" in text
    assert "Exit codes: 0 ok; 1 the status reached --fail-on; 2 bad input" in text
    assert result.exit_code == 0


def test_numeric_label_with_many_values_points_to_regression(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    pq.write_table(pa.table({"y": rng.normal(size=500), "yhat": rng.normal(size=500)}),
                   tmp_path / "reg.parquet")  # fmt: skip
    with pytest.raises(ConfigurationError, match="use --task regression"):
        assess(tmp_path / "reg.parquet", ColumnSpec(label="y", prediction="yhat"))
