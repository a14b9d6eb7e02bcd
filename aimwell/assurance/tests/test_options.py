"""Options beyond the main parity logs: score-only and string/boolean labels, stored
profiles through the CLI, and invalid inputs to the library helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn import metrics as skm

from aimwell.assurance import (
    ColumnSpec,
    ConfigurationError,
    ProfileError,
    assess,
    merge_fairness,
)
from aimwell.data_drift import ReferenceProfile

from .conftest import run_cli

TOL = 1e-9


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rng = np.random.default_rng(11)
    n = 20_000
    score = np.round(rng.random(n), 2)
    label = rng.random(n) < score
    table = pa.table(
        {
            "outcome": pa.array(np.where(label, "approved", "denied")),
            "flag": pa.array(label),
            "p": pa.array(score),
            "group": pa.array(rng.choice(["a", "b"], n)),
            "x": pa.array(rng.normal(size=n)),
        }
    )
    d = tmp_path_factory.mktemp("small")
    pq.write_table(table, d / "log.parquet")
    return {"path": d / "log.parquet", "df": table.to_pandas(), "dir": d}


def test_prediction_from_score_threshold_and_string_label(small: dict[str, Any]) -> None:
    spec = ColumnSpec(label="outcome", score="p", pos_label="approved", threshold=0.3)
    perf = assess(small["path"], spec).performance
    df = small["df"]
    y = (df["outcome"] == "approved").astype(int)
    yhat = (df["p"] >= 0.3).astype(int)
    assert perf.accuracy == pytest.approx(skm.accuracy_score(y, yhat), abs=TOL)
    assert perf.f1 == pytest.approx(skm.f1_score(y, yhat), abs=TOL)
    assert perf.roc_auc == pytest.approx(skm.roc_auc_score(y, df["p"]), abs=TOL)


def test_boolean_label(small: dict[str, Any]) -> None:
    spec = ColumnSpec(label="flag", score="p", pos_label="true", sensitive=("group",))
    rep = assess(small["path"], spec)
    df = small["df"]
    assert rep.performance.roc_auc == pytest.approx(
        skm.roc_auc_score(df["flag"].astype(int), df["p"]), abs=TOL
    )
    assert rep.fairness is not None and len(rep.fairness.groups) == 2


def test_cli_profile_then_report(small: dict[str, Any]) -> None:
    prof = small["dir"] / "profile.json"
    res = run_cli("profile", str(small["path"]), "--feature", "x", "--feature", "p", "--out",
                  str(prof))  # fmt: skip
    assert res.exit_code == 0, res.output
    loaded = ReferenceProfile.from_json(prof)
    assert set(loaded.columns) == {"x", "p"}
    out = small["dir"] / "rep"
    res = run_cli("report", str(small["path"]), "--label", "flag", "--score", "p", "--pos-label",
                  "true", "--feature", "x", "--profile", str(prof), "--out", str(out),
                  "--quiet")  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads((out / "report.json").read_text())
    assert data["drift"]["mode"] == "profile"
    # Same data as the reference: no drift.
    assert all(f["metrics"]["psi"]["value"] == pytest.approx(0, abs=1e-12)
               for f in data["drift"]["features"])  # fmt: skip
    assert all(f["metrics"]["ks"]["value"] <= f["metrics"]["ks"]["tolerance"] + 1e-12
               for f in data["drift"]["features"])  # fmt: skip


def test_invalid_profile_and_merge(tmp_path: Path, small: dict[str, Any]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ProfileError):
        ReferenceProfile.from_json(bad)
    with pytest.raises(ProfileError):
        ReferenceProfile.from_dict({"version": 1})
    a = assess(small["path"], ColumnSpec(label="flag", score="p", sensitive=("group",))).fairness
    b = assess(small["path"], ColumnSpec(label="flag", score="p", sensitive=("outcome",))).fairness
    with pytest.raises(ConfigurationError, match="different attributes"):
        merge_fairness(a, b)
    with pytest.raises(ConfigurationError):
        ColumnSpec(task="ranking")  # type: ignore[arg-type]
