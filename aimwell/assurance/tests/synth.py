"""Seeded synthetic prediction logs for the parity tests.

They contain what breaks naive implementations: tied scores (rounded to 2 decimals), null
labels, predictions and feature values, a categorical feature with a category that only
appears in the current window, SHAP-like attribution columns, and a sensitive group (sex "x"
crossed with any region) smaller than the minimum group size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

N_FEATURES = 3
SMALL_GROUP = "x"


def make_log(n: int, seed: int, shift: float = 0.0) -> pa.Table:
    rng = np.random.default_rng(seed)
    sex = rng.choice(np.array(["f", "m"]), size=n)
    sex[:12] = SMALL_GROUP  # 12 rows: below the default minimum group size of 30
    region = rng.choice(np.array(["north", "south", "east"]), size=n, p=[0.5, 0.3, 0.2])
    feats = {
        f"f{i}": rng.normal(loc=shift * (i + 1), scale=1.0 + 0.2 * i, size=n)
        for i in range(N_FEATURES)
    }
    # An integer feature with many ties.
    feats["age"] = rng.integers(18, 80, size=n).astype(np.int64) + int(shift * 5)
    logit = 0.8 * feats["f0"] - 0.5 * feats["f1"] + (sex == "m") * 0.3 + (region == "east") * 0.4
    p_true = 1 / (1 + np.exp(-logit))
    label = (rng.random(n) < p_true).astype(np.int64)
    score = np.round(np.clip(p_true + rng.normal(0, 0.1, n), 0, 1), 2)  # ties
    pred = (score >= 0.5).astype(np.int64)
    cats = np.array(["a", "b", "c"] + (["d"] if shift else []))
    channel = rng.choice(cats, size=n)
    cols: dict[str, pa.Array] = {
        "label": pa.array(label, mask=rng.random(n) < 0.01),
        "pred": pa.array(pred, mask=rng.random(n) < 0.005),
        "score": pa.array(score, mask=rng.random(n) < 0.003),
        "sex": pa.array(sex),
        "region": pa.array(region, mask=rng.random(n) < 0.002),
        "channel": pa.array(channel),
    }
    feats["f2"][5:9] = np.nan  # NaN (not NULL): also missing, found by the NaN pass
    for name, values in feats.items():
        cols[name] = pa.array(values, mask=rng.random(n) < 0.02)
    for i in range(2):
        cols[f"shap_f{i}"] = pa.array(rng.normal(0, 0.1 * (i + 1), n))
    return pa.table(cols)


def write(table: pa.Table, directory: Path, name: str, parts: int = 1) -> dict[str, Path]:
    """Write Parquet (one file, or a directory of ``parts`` files) and CSV versions."""
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    if parts == 1:
        out["parquet"] = directory / f"{name}.parquet"
        pq.write_table(table, out["parquet"], row_group_size=max(1, table.num_rows // 4))
    else:
        d = directory / f"{name}_parts"
        d.mkdir(exist_ok=True)
        step = -(-table.num_rows // parts)
        for k in range(parts):
            pq.write_table(table.slice(k * step, step), d / f"part-{k}.parquet")
        out["parquet"] = d
    out["csv"] = directory / f"{name}.csv"
    pacsv.write_csv(table, out["csv"])
    return out
