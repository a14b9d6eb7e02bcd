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


def test_spark_generative_equals_duckdb(spark: Any, tmp_path: Any) -> None:
    """Evaluation logs run the same SQL on Spark: every figure equal, runs compared alike."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from aimwell.generative_evaluation import GenerativeSpec, assess_generative

    rng = np.random.default_rng(5)
    n = 4_000
    run = np.where(np.arange(n) < n // 2, "v1", "v2")
    category = rng.choice(["accuracy", "jailbreak", "privacy-leak"], n)
    passed = rng.random(n) < np.where((run == "v2") & (category == "jailbreak"), 0.6, 0.9)
    table = pa.table(
        {
            "category": category,
            "language": pa.array(rng.choice(["en", "de", "fr"], n), mask=rng.random(n) < 0.01),
            "verdict": pa.array(np.where(passed, "pass", "fail"), mask=rng.random(n) < 0.02),
            "refused": rng.integers(0, 2, n),
            "run": run,
        }
    )
    folder = tmp_path / "eval"
    folder.mkdir()
    pq.write_table(table.slice(0, n // 2), folder / "part-0.parquet")
    pq.write_table(table.slice(n // 2), folder / "part-1.parquet")
    gspec = GenerativeSpec(
        category="category", outcome="verdict", sensitive="language", refusal="refused", run="run"
    )
    be = SparkBackend(spark)
    try:
        ours = assess_generative(folder, gspec, backend=be).to_dict()["generative"]
    finally:
        be.close()
    theirs = assess_generative(folder, gspec).to_dict()["generative"]
    assert ours["regressions"] == ["all categories", "jailbreak"]
    assert_close(ours, theirs, rel=1e-12, path="generative")
