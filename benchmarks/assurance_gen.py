"""Synthetic prediction logs for the assurance benchmarks.

A binary classifier's log: label, prediction, score (continuous by default, as a real model's
float64 output: almost every score distinct; ``--rounded`` rounds it to 1e-6, giving ties and
far fewer distinct values), two sensitive attributes with 4 and 6 groups (24 intersections),
and 10 numeric features. ``--shift`` produces a drifted "current" window (means and scales
moved, different group mix). Written in 1M-row chunks with one ParquetWriter, so memory
stays flat whatever the size.

    python benchmarks/assurance_gen.py --rows 1000000 --rows 10000000
    python benchmarks/assurance_gen.py --rows 1000000 --shift
    python benchmarks/assurance_gen.py --rows 1000000 --rounded
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / "data"
CHUNK = 1_000_000
N_FEATURES = 10
SEX = np.array(["female", "male", "nonbinary", "unknown"])
REGION = np.array(["north", "south", "east", "west", "centre", "overseas"])


def chunk(n: int, rng: np.random.Generator, shift: bool, rounded: bool = False) -> pa.Table:
    sex_p = [0.48, 0.47, 0.03, 0.02] if not shift else [0.40, 0.52, 0.05, 0.03]
    sex = rng.choice(len(SEX), size=n, p=sex_p)
    region = rng.choice(len(REGION), size=n, p=[0.3, 0.25, 0.2, 0.15, 0.07, 0.03])
    feats = {}
    for i in range(N_FEATURES):
        loc = 0.1 * (i % 3) if shift else 0.0
        scale = 1.0 + (0.05 * i if shift else 0.0)
        feats[f"f{i}"] = rng.normal(loc, scale, n)
    logit = (
        0.9 * feats["f0"] - 0.6 * feats["f1"] + 0.3 * feats["f2"]
        + 0.25 * (sex == 1) - 0.2 * (region == 5)
    )  # fmt: skip
    p = 1.0 / (1.0 + np.exp(-logit))
    label = (rng.random(n) < p).astype(np.int8)
    score = np.clip(p + rng.normal(0, 0.08, n), 0, 1)
    if rounded:
        score = np.round(score, 6)
    pred = (score >= 0.5).astype(np.int8)
    cols: dict[str, pa.Array] = {
        "label": pa.array(label),
        "prediction": pa.array(pred),
        "score": pa.array(score),
        "sex": pa.DictionaryArray.from_arrays(pa.array(sex.astype(np.int8)), pa.array(SEX)),
        "region": pa.DictionaryArray.from_arrays(
            pa.array(region.astype(np.int8)), pa.array(REGION)
        ),
    }
    cols.update({k: pa.array(v) for k, v in feats.items()})
    return pa.table(cols)


def generate(
    rows: int, path: Path, seed: int = 0, shift: bool = False, rounded: bool = False
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".tmp")
    writer: pq.ParquetWriter | None = None
    try:
        done = 0
        while done < rows:
            t = chunk(min(CHUNK, rows - done), rng, shift, rounded)
            if writer is None:
                writer = pq.ParquetWriter(tmp, t.schema, compression="snappy")
            writer.write_table(t, row_group_size=CHUNK)
            done += t.num_rows
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(path)
    return path


def default_name(rows: int, shift: bool, rounded: bool = False) -> str:
    size = f"{rows // 1_000_000}m" if rows % 1_000_000 == 0 else str(rows)
    return f"{'current' if shift else 'log'}_{size}{'_rounded' if rounded else ''}.parquet"


def ensure(rows: int, shift: bool = False, seed: int | None = None, rounded: bool = False) -> Path:
    """The log of that size, generated on first use."""
    path = DATA / default_name(rows, shift, rounded)
    if not path.exists():
        seed = (1 if shift else 0) if seed is None else seed
        generate(rows, path, seed=seed, shift=shift, rounded=rounded)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append", required=True)
    ap.add_argument("--shift", action="store_true", help="drifted current window")
    ap.add_argument("--rounded", action="store_true", help="scores rounded to 1e-6 (ties)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    for rows in args.rows:
        path = DATA / default_name(rows, args.shift, args.rounded)
        if path.exists() and not args.force:
            print(f"exists: {path}")
            continue
        t = time.perf_counter()
        seed = args.seed if args.seed is not None else (1 if args.shift else 0)
        generate(rows, path, seed=seed, shift=args.shift, rounded=args.rounded)
        size = path.stat().st_size / 2**20
        print(f"wrote {path} ({rows:,} rows, {size:,.0f} MiB) in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
