"""The Spark backend computes the same evidence as DuckDB on the same logs."""

from __future__ import annotations

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
