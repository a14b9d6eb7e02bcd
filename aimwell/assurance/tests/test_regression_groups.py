"""Regression logs across groups: MAE, RMSE and bias per group equal scikit-learn's on each
group's rows, intervals as worked out by hand, and the gap between groups."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn import metrics as skm

from aimwell.assurance import ColumnSpec, assess

from .conftest import run_cli

Z95 = 1.959963984540054


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rng = np.random.default_rng(23)
    n = 5_000
    region = rng.choice(["north", "south", "east"], n)
    y = rng.normal(100, 20, n)
    # The model over-predicts in the south and is noisier in the east.
    noise = np.where(region == "east", 15.0, 5.0)
    pred = y + rng.normal(0, 1, n) * noise + np.where(region == "south", 4.0, 0.0)
    mask = rng.random(n) < 0.02
    table = pa.table({"y": pa.array(y, mask=mask), "yhat": pred, "region": region})
    path = tmp_path_factory.mktemp("regression") / "log.parquet"
    pq.write_table(table, path)
    return {"path": path, "df": table.to_pandas(), "dir": path.parent}


def test_per_group_errors_equal_scikit_learn(log: dict[str, Any]) -> None:
    spec = ColumnSpec(label="y", prediction="yhat", sensitive=("region",), task="regression")
    report = assess(log["path"], spec)
    result = report.regression_fairness
    assert result is not None
    df = log["df"].dropna(subset=["y"])
    groups = {g.key["region"]: g for g in result.groups}
    assert set(groups) == {"north", "south", "east"}
    for name, g in groups.items():
        rows = df[df["region"] == name]
        err = (rows["yhat"] - rows["y"]).to_numpy()
        assert g.n == len(rows)
        assert g.mae == pytest.approx(skm.mean_absolute_error(rows["y"], rows["yhat"]), rel=1e-12)
        assert g.rmse == pytest.approx(
            math.sqrt(skm.mean_squared_error(rows["y"], rows["yhat"])), rel=1e-12
        )
        assert g.bias == pytest.approx(err.mean(), rel=1e-9, abs=1e-12)
        for metric, values in (("mae", np.abs(err)), ("bias", err)):
            half = Z95 * values.std(ddof=1) / math.sqrt(len(values))
            iv = g.intervals[metric]
            assert iv is not None
            assert iv.low == pytest.approx(values.mean() - half, rel=1e-9)
            assert iv.high == pytest.approx(values.mean() + half, rel=1e-9)
    gap = result.gaps[0]
    maes = [groups[k].mae for k in groups]
    assert gap.mae_gap == pytest.approx(max(maes) - min(maes), rel=1e-12)  # type: ignore[type-var,operator]
    assert gap.worst_group == "region=east"
    assert gap.status == "warning" and result.status == "warning" and report.status == "warning"
    assert groups["south"].bias > 3.5  # type: ignore[operator]


def test_regression_groups_in_every_report_format(log: dict[str, Any], tmp_path: Path) -> None:
    args = ["report", str(log["path"]), "--task", "regression", "--label", "y", "--prediction",
            "yhat", "--sensitive", "region"]  # fmt: skip
    assert run_cli(*args, "--output", str(tmp_path / "r.html")).exit_code == 0
    html = (tmp_path / "r.html").read_text()
    assert "Regression error by group" in html and "region=east" in html
    assert run_cli(*args, "--output", str(tmp_path / "r.md")).exit_code == 0
    assert "MAE ratio" in (tmp_path / "r.md").read_text()
    assert run_cli(*args, "--output", str(tmp_path / "r.json")).exit_code == 0
    schema = json.loads((Path(__file__).parents[1] / "report.schema.json").read_text())
    data = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(data, schema)
    assert data["regression_fairness"]["gaps"][0]["worst_group"] == "region=east"
