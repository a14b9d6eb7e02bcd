"""Bounded memory: ROC AUC from an externally sorted stream (exact, any number of distinct
scores, runs of tied scores across batch boundaries) and DuckDB's memory limit and spill
directory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn import metrics as skm

from aimwell.assurance import ColumnSpec, assess
from aimwell.assurance.backends.duckdb import DuckDBBackend
from aimwell.assurance.rankauc import rank_sums


@pytest.mark.parametrize("decimals", [None, 2])
def test_streamed_auc_equals_scikit_learn_across_small_batches(
    tmp_path: Path, decimals: int | None
) -> None:
    rng = np.random.default_rng(17)
    n = 20_000
    p = rng.random(n)
    score = p if decimals is None else np.round(p, decimals)  # continuous, or long tie runs
    label = (rng.random(n) < p).astype(np.int64)
    pq.write_table(pa.table({"y": label, "s": score}), tmp_path / "log.parquet")
    backend = DuckDBBackend(memory_limit="64MB", temp_directory=tmp_path / "spill")
    backend.score_batch_rows = 333  # many batches; tie runs of ~200 rows cross their ends
    try:
        report = assess(tmp_path / "log.parquet", ColumnSpec(label="y", score="s"), backend=backend)
    finally:
        backend.close()
    expected = skm.roc_auc_score(label, score)
    assert report.performance.roc_auc == pytest.approx(expected, abs=1e-15)  # type: ignore[union-attr]


def test_rank_sums_by_hand() -> None:
    # scores 0.1(neg) 0.2(pos) 0.2(neg) | 0.2(pos) 0.9(pos): a tie run split by the batches.
    batches = [
        (np.array([0.1, 0.2, 0.2]), np.array([False, True, False])),
        (np.array([0.2, 0.9]), np.array([True, True])),
    ]
    sums = rank_sums(batches)
    # Positives: 0.2 beats one negative and ties one (2*1 + 1 = 3) twice; 0.9 beats two (4).
    assert (sums.twice_u, sums.n_pos, sums.n_neg) == (3 + 3 + 4, 3, 2)


def test_memory_limit_and_spill_directory_are_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = DuckDBBackend()
    try:
        limit = backend.con.execute("SELECT current_setting('memory_limit')").fetchone()
        spill = backend.con.execute("SELECT current_setting('temp_directory')").fetchone()
    finally:
        backend.close()
    assert limit is not None and limit[0] in ("244.1 MiB", "256.0 MB", "244.1MiB")
    assert spill is not None and str(spill[0]).startswith(tempfile.gettempdir())
    assert not Path(spill[0]).exists()  # removed on close
    monkeypatch.setenv("AIMWELL_ASSURANCE_MEMORY_LIMIT", "100MB")
    monkeypatch.setenv("AIMWELL_ASSURANCE_TEMP_DIR", str(tmp_path / "mine"))
    backend = DuckDBBackend()
    try:
        limit = backend.con.execute("SELECT current_setting('memory_limit')").fetchone()
        spill = backend.con.execute("SELECT current_setting('temp_directory')").fetchone()
    finally:
        backend.close()
    assert limit is not None and limit[0] in ("95.3 MiB", "100.0 MB", "95.3MiB")
    assert spill is not None and spill[0] == str(tmp_path / "mine")
