"""Fairness + performance on a prediction log: Aimwell vs fairlearn's MetricFrame vs the
floor of scanning the needed columns.

Each measurement runs in a fresh interpreter (peak memory = that process's ru_maxrss).
The figures are checked equal: every per-group metric of the 24 intersectional groups and
the overall metrics, to 1e-9.

    python benchmarks/assurance_fairness.py --rows 1000000 --rows 10000000
    python benchmarks/assurance_fairness.py --rows 100000000 --no-fairlearn
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import assurance_gen
from _measure import emit, machine, run_worker, save, timed

ATTRS = ["sex", "region"]
METRICS = ["selection_rate", "tpr", "fpr", "precision", "error_rate"]


# ------------------------------------------------------------------------------ workers
def w_floor(log: str, repeat: int) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    # The floor: decode the four needed columns and do the least work on each.
    sql = "SELECT sum(label), sum(prediction), min(sex), min(region) FROM read_parquet(?)"
    times, _ = timed(lambda: con.execute(sql, [log]).fetchall(), repeat)
    return {"seconds": times}


def _spec(full: bool) -> Any:
    from aimwell.assurance import ColumnSpec

    return ColumnSpec(
        label="label",
        prediction="prediction",
        score="score" if full else None,
        sensitive=tuple(ATTRS),
        min_group_size=30,
    )


def _groups(fair: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for g in fair.groups:
        if list(g.attributes) == ATTRS:
            key = "|".join(str(g.key[a]) for a in ATTRS)
            out[key] = {"count": g.counts.n, **{m: getattr(g, m) for m in METRICS}}
    return out


def w_ours(log: str, repeat: int, full: bool) -> dict[str, Any]:
    from aimwell.assurance import assess
    from aimwell.assurance.backends.duckdb import DuckDBBackend

    spec = _spec(full)
    # One backend (DuckDB connection) for the repeats, as a monitoring service keeps one;
    # the floor query reuses its connection too.
    be = DuckDBBackend()
    times, rep = timed(lambda: assess(log, spec, include_quality=False, backend=be), repeat)
    perf = rep.performance
    return {
        "seconds": times,
        "timings": rep.timings,
        "groups": _groups(rep.fairness),
        "overall": {
            "accuracy": perf.accuracy,
            "precision": perf.precision,
            "recall": perf.recall,
            "f1": perf.f1,
            "roc_auc": perf.roc_auc,
        },
    }


def w_fairlearn(log: str) -> dict[str, Any]:
    import time

    import numpy as np
    import pyarrow.parquet as pq
    from fairlearn import metrics as flm
    from sklearn import metrics as skm

    t = time.perf_counter()
    df = pq.read_table(log, columns=["label", "prediction", *ATTRS]).to_pandas()
    load = time.perf_counter() - t

    def compute() -> Any:
        mf = flm.MetricFrame(
            metrics={
                "count": flm.count,
                "selection_rate": flm.selection_rate,
                "tpr": flm.true_positive_rate,
                "fpr": flm.false_positive_rate,
                "precision": lambda y, p: skm.precision_score(y, p, zero_division=np.nan),
                "error_rate": skm.zero_one_loss,
                "accuracy": skm.accuracy_score,
                "recall": skm.recall_score,
                "f1": skm.f1_score,
            },
            y_true=df["label"],
            y_pred=df["prediction"],
            sensitive_features=df[ATTRS],
        )
        return mf, mf.by_group, mf.difference(), mf.ratio()

    times, (mf, by_group, _, _) = timed(compute, 1)
    groups = {}
    for key, row in by_group.iterrows():
        if row["count"] > 0:
            groups["|".join(map(str, key))] = {
                "count": int(row["count"]),
                **{m: None if math.isnan(row[m]) else float(row[m]) for m in METRICS},
            }
    overall = {k: float(mf.overall[k]) for k in ("accuracy", "precision", "recall", "f1")}
    return {"seconds": times, "load_seconds": load, "groups": groups, "overall": overall}


def worker(argv: list[str]) -> None:
    task, log, repeat = argv[0], argv[1], int(argv[2])
    if task == "floor":
        emit(w_floor(log, repeat))
    elif task == "ours":
        emit(w_ours(log, repeat, full=False))
    elif task == "ours_full":
        emit(w_ours(log, repeat, full=True))
    elif task == "fairlearn":
        emit(w_fairlearn(log))


# ------------------------------------------------------------------------------ driver
def check_equal(ours: dict[str, Any], ref: dict[str, Any]) -> float:
    """Largest absolute difference between our figures and fairlearn's (asserts < 1e-9)."""
    worst = 0.0
    assert set(ours["groups"]) == set(ref["groups"]), "group sets differ"
    for key, g in ref["groups"].items():
        o = ours["groups"][key]
        assert o["count"] == g["count"], key
        for m in METRICS:
            if g[m] is not None and o[m] is not None:
                worst = max(worst, abs(o[m] - g[m]))
    for k, v in ref["overall"].items():
        worst = max(worst, abs(ours["overall"][k] - v))
    assert worst < 1e-9, f"figures differ by {worst}"
    return worst


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append", required=True)
    ap.add_argument("--no-fairlearn", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    script = Path(__file__).resolve()
    results: dict[str, Any] = {"machine": machine(), "runs": []}
    for rows in args.rows:
        log = str(assurance_gen.ensure(rows))
        run: dict[str, Any] = {"rows": rows}
        for task in ("floor", "ours", "ours_full"):
            run[task] = run_worker(script, [task, log, str(args.repeat)])
            best = min(run[task]["seconds"])
            print(
                f"{rows:>12,} {task:<10} {best:8.3f} s  peak {run[task]['peak_rss_mib']:7.0f} MiB"
            )
        if not args.no_fairlearn:
            run["fairlearn"] = run_worker(script, ["fairlearn", log, "1"])
            fl = run["fairlearn"]
            print(
                f"{rows:>12,} fairlearn  {fl['seconds'][0]:8.3f} s (+{fl['load_seconds']:.1f} s "
                f"load)  peak {fl['peak_rss_mib']:7.0f} MiB"
            )
            run["max_abs_difference"] = check_equal(run["ours"], fl)
            print(
                f"{'':>12} figures equal to fairlearn (max |diff| {run['max_abs_difference']:.1e})"
            )
        for task in ("ours", "ours_full", "fairlearn"):
            run.get(task, {}).pop("groups", None)
        results["runs"].append(run)
        print(json.dumps({k: v for k, v in run.items() if k == "rows"}))
    path = save("assurance_fairness", results)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
