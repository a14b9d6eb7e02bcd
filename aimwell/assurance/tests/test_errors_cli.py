"""Malformed logs and the CLI: clear one-line errors with exit code 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aimwell.assurance import (
    AssuranceError,
    ColumnNotFoundError,
    ColumnTypeError,
    EmptyLogError,
    LogNotFoundError,
    UnreadableLogError,
    assess,
)

from .conftest import assert_close, run_cli, spec

BASE = ["--label", "label", "--prediction", "pred", "--score", "score"]


def _cli(*args: str) -> Any:
    return run_cli("report", *args)


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory, logs: Any) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    good = logs["reference"]["parquet"]
    raw = good.read_bytes()
    files = {
        "truncated": d / "truncated.parquet",
        "empty_file": d / "empty.csv",
        "header_only": d / "header_only.csv",
        "zero_rows": d / "zero_rows.parquet",
        "junk": d / "junk.parquet",
    }
    files["truncated"].write_bytes(raw[: len(raw) // 2])
    files["empty_file"].write_bytes(b"")
    files["header_only"].write_text("label,pred,score\n")
    pq.write_table(pa.table({"label": pa.array([], pa.int64())}), files["zero_rows"])
    files["junk"].write_bytes(b"PAR1" + os.urandom(2000))
    return files


def test_missing_column_names_it_and_lists_available(logs: Any) -> None:
    with pytest.raises(ColumnNotFoundError) as info:
        assess(logs["reference"]["parquet"], spec(sensitive=("sex", "gender")))
    msg = str(info.value)
    assert "'gender'" in msg and "available columns" in msg and "region" in msg


def test_wrong_type(logs: Any) -> None:
    with pytest.raises(ColumnTypeError, match="score column 'sex' has type string"):
        assess(logs["reference"]["parquet"], spec(score="sex"))


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("truncated", UnreadableLogError),
        ("junk", UnreadableLogError),
        ("empty_file", EmptyLogError),
        ("header_only", EmptyLogError),
        ("zero_rows", EmptyLogError),
    ],
)
def test_malformed_logs(bad: dict[str, Path], name: str, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        assess(bad[name], spec(prediction=None, score=None, sensitive=(), label=None))
    assert isinstance(info.value, AssuranceError)
    assert str(bad[name]) in str(info.value)


def test_nonexistent_path(tmp_path: Path) -> None:
    with pytest.raises(LogNotFoundError, match="log not found"):
        assess(tmp_path / "nope.parquet", spec())


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing_column", "'gender' not found; available columns:"),
        ("wrong_type", "score column 'sex' has type string"),
        ("truncated", "not a readable Parquet file"),
        ("empty_file", "log is empty"),
        ("header_only", "log has no rows"),
        ("nonexistent", "log not found"),
    ],
)
def test_cli_errors_exit_2_with_one_line(
    case: str, expected: str, bad: dict[str, Path], logs: Any, tmp_path: Path
) -> None:
    good = str(logs["reference"]["parquet"])
    args = {
        "missing_column": [good, *BASE, "--sensitive", "gender"],
        "wrong_type": [good, "--label", "label", "--score", "sex"],
        "truncated": [str(bad["truncated"]), *BASE],
        "empty_file": [str(bad["empty_file"]), *BASE],
        "header_only": [str(bad["header_only"]), *BASE],
        "nonexistent": [str(tmp_path / "nope.csv"), *BASE],
    }[case]
    result = _cli(*args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    out = result.output.strip()
    assert expected in out
    assert "Traceback" not in out
    assert len(out.splitlines()) == 1 or expected in out.splitlines()[0]


def test_cli_report_writes_json_and_html(logs: Any, tmp_path: Path, reports: Any) -> None:
    out = tmp_path / "report"
    result = _cli(
        str(logs["current"]["parquet"]), *BASE,
        "--sensitive", "sex", "--sensitive", "region",
        *[a for f in ("f0", "f1", "f2", "age", "channel") for a in ("--feature", f)],
        "--reference", str(logs["reference"]["parquet"]),
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    lib = reports[("parquet", "exact")].to_dict()
    for part in ("performance", "fairness", "drift"):
        # Parallel float sums (Brier, calibration means) may differ in the last bit.
        assert_close(data[part], lib[part], rel=1e-12, path=part)
    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert "Fairness" in html and "four_fifths" in html and "status alert" in html


def test_html_escapes_values(tmp_path: Path) -> None:
    n = 200
    t = pa.table(
        {
            "label": [i % 2 for i in range(n)],
            "pred": [(i // 2) % 2 for i in range(n)],
            "grp": ["<script>alert(1)</script>" if i % 3 else "a&b" for i in range(n)],
        }
    )
    log = tmp_path / "x.parquet"
    pq.write_table(t, log)
    result = _cli(
        str(log), "--label", "label", "--prediction", "pred", "--sensitive", "grp",
        "--out", str(tmp_path / "o"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = (tmp_path / "o" / "report.html").read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "a&amp;b" in html


def test_python_dash_m_runs_without_django(logs: Any, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import runpy, sys; sys.argv = ['x'] + sys.argv[1:]; "
        "runpy.run_module('aimwell.assurance', run_name='__main__'); "
    )
    ok = subprocess.run(
        [sys.executable, "-c", code, "report", str(logs["reference"]["parquet"]), *BASE,
         "--sensitive", "sex", "--out", str(tmp_path / "r"), "--quiet"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "r" / "report.json").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "aimwell.assurance", "report", str(tmp_path / "missing.parquet"),
         *BASE],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: log not found")
    assert "Traceback" not in bad.stderr + bad.stdout


def test_no_django_imported() -> None:
    # The engine and its two domains (data drift, generative evaluation) load together; nothing
    # else of Aimwell, and no Django.
    code = (
        "import sys, aimwell.assurance, aimwell.assurance.cli, aimwell.assurance.engine, "
        "aimwell.generative_evaluation.evaluation; "
        "engine = ('aimwell.assurance', 'aimwell.data_drift', 'aimwell.generative_evaluation'); "
        "bad = [m for m in sys.modules if m.startswith('django') or "
        "(m.startswith('aimwell.') and not m.startswith(engine))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
