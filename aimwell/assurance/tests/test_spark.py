"""The Spark backend computes the same evidence as DuckDB on the same logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from aimwell.assurance import UnreadableLogError, assess
from aimwell.assurance.backends.spark import SparkBackend

from .conftest import assert_close, spec

pytestmark = pytest.mark.spark
PARTS = ("performance", "fairness", "drift", "quality", "explain")


@pytest.mark.parametrize("mode", ["exact", "profile"])
def test_spark_equals_duckdb(spark: Any, logs: Any, reports: Any, mode: str) -> None:
    current = logs["current"]["parquet"]  # a directory of two Parquet files
    be = SparkBackend(spark)
    try:
        assert spark.read.parquet(str(current)).rdd.getNumPartitions() >= 2
        rep = assess(
            current, spec(), reference=logs["reference"]["parquet"], backend=be, drift_mode=mode
        )
    finally:
        be.close()
    assert rep.backend == "spark"
    ours, theirs = rep.to_dict(), reports[("parquet", mode)].to_dict()
    for part in PARTS:
        assert_close(ours[part], theirs[part], rel=1e-9, path=part)


def test_spark_truncated_parquet_is_a_clear_error(spark: Any, tmp_path: Any, logs: Any) -> None:
    raw = logs["reference"]["parquet"].read_bytes()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(raw[: len(raw) // 3])
    be = SparkBackend(spark)
    try:
        with pytest.raises(UnreadableLogError, match=r"bad\.parquet"):
            assess(bad, spec(), backend=be)
    finally:
        be.close()


def test_quiet_spark_run_prints_nothing_but_the_status(logs: Any, tmp_path: Any) -> None:
    """`--quiet` silences Spark too: the JVM's start-up banner and log4j warnings are written
    by the Java process itself, so the CLI starts it with its stderr sent to /dev/null."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-m", "aimwell.assurance", "report", str(logs["reference"]["parquet"]),
         "--backend", "spark", "--label", "label", "--prediction", "pred", "--score", "score",
         "--reference", str(logs["reference"]["parquet"]), "--feature", "f0",
         "--drift-mode", "profile", "--temp-dir", str(tmp_path / "spill"), "--quiet",
         "--output", str(out)],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "status: ok\n"
    # Only the report's own headline (here: the profile was built in this run), no JVM text.
    assert [ln for ln in done.stderr.splitlines() if not ln.startswith("note: ")] == []
    assert "profile built from the reference log in this run" in done.stderr
    assert json.loads(out.read_text())["backend"] == "spark"
