"""Fairness + performance on a prediction log, as a user meets it: `aimwell assurance report`
timed as a whole process (start-up, reading, computing, writing the report) next to the
engine's in-process time, fairlearn's MetricFrame (whole process and in process), and a
DuckDB process that only scans the same columns (the floor).

Every side gets the same number of repetitions (--repeat, min and median); every process is
fresh and its peak memory is measured from outside by GNU time (see _measure.py). Scores are
continuous by default (--rounded: rounded to 1e-6). The figures are checked equal: every
per-group metric of the 24 intersectional groups and the overall metrics, to 1e-9.

    python benchmarks/assurance_fairness.py --rows 1000000 --rows 10000000
    python benchmarks/assurance_fairness.py --rows 10000000 --fairlearn-max-rows 10000000
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import assurance_gen
from _measure import emit, machine, run_process, run_worker, save, summary, timed

ATTRS = ["sex", "region"]
METRICS = ["selection_rate", "tpr", "fpr", "precision", "error_rate"]


# ------------------------------------------------------------------------------ workers
FLOOR = (
    "import sys, duckdb; duckdb.sql('SELECT sum(label), sum(prediction), min(sex), min(region)'"
    " + (', sum(score)' if sys.argv[2] == 'full' else '') +"
    " ' FROM read_parquet(' + repr(sys.argv[1]) + ')').fetchall()"
)


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
    # One backend (DuckDB connection, default memory limit) for the repeats, as a monitoring
    # service keeps one.
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
    if task == "ours":
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


def cli_args(log: str, full: bool, output: str) -> list[str]:
    args = ["assurance", "report", log, "--label", "label", "--prediction", "prediction"]
    args += [a for attr in ATTRS for a in ("--sensitive", attr)]
    if full:
        args += ["--score", "score"]
    return [*args, "--output", output, "--quiet"]


def processes(cmd: list[str], repeat: int) -> dict[str, Any]:
    runs = [run_process(cmd) for _ in range(repeat)]
    return {
        "seconds": [r["seconds"] for r in runs],
        "cpu_seconds": [r["cpu_seconds"] for r in runs],
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
    }


def line(name: str, seconds: list[float], peak: float | None = None) -> str:
    s = summary(seconds)
    mem = f"  peak {peak:7.0f} MiB" if peak is not None else ""
    return f"  {name:<34} min {s['min']:9.3f} s  median {s['median']:9.3f} s (n={s['n']}){mem}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append", required=True)
    ap.add_argument("--fairlearn-max-rows", type=int, default=1_000_000,
                    help="skip fairlearn above this size (~45 s per million rows)")  # fmt: skip
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rounded", action="store_true", help="scores rounded to 1e-6")
    args = ap.parse_args()
    script = Path(__file__).resolve()
    exe = str(Path(sys.executable).with_name("aimwell"))
    out_file = str(assurance_gen.DATA / "bench-report.json")
    results: dict[str, Any] = {"machine": machine(), "repeat": args.repeat, "runs": []}
    start = {
        "assurance_help": processes([exe, "assurance", "report", "--help"], 5),
        "aimwell_help": processes([exe, "--help"], 5),
    }
    results["startup"] = start
    print("start-up (whole process)")
    print(line("aimwell assurance report --help", start["assurance_help"]["seconds"],
               start["assurance_help"]["peak_rss_mib"]))  # fmt: skip
    print(line("aimwell --help", start["aimwell_help"]["seconds"],
               start["aimwell_help"]["peak_rss_mib"]))  # fmt: skip
    for name, runs in start.items():
        print(f"  {name}: CPU time (user + system) min {min(runs['cpu_seconds']):.2f} s")
    for rows in args.rows:
        log = str(assurance_gen.ensure(rows, rounded=args.rounded))
        run: dict[str, Any] = {"rows": rows, "rounded": args.rounded}
        print(f"{rows:,} rows ({'rounded' if args.rounded else 'continuous'} scores)")
        for kind, full in (("count", False), ("full", True)):
            floor = processes([sys.executable, "-c", FLOOR, log, kind], args.repeat)
            cli = processes([exe, *cli_args(log, full, out_file)], args.repeat)
            inproc = run_worker(script, ["ours_full" if full else "ours", log, str(args.repeat)])
            run[kind] = {"floor": floor, "cli": cli, "in_process": inproc}
            print(line(f"{kind}: DuckDB scan floor (process)", floor["seconds"],
                       floor["peak_rss_mib"]))  # fmt: skip
            print(line(f"{kind}: aimwell CLI (process)", cli["seconds"], cli["peak_rss_mib"]))
            print(line(f"{kind}: engine in process", inproc["seconds"]))
            ratio = min(cli["seconds"]) / min(floor["seconds"])
            run[kind]["cli_vs_floor"] = ratio
            print(f"  {kind}: CLI / floor (min) = {ratio:.2f}x")
        if rows <= args.fairlearn_max_rows:
            reps = [run_worker(script, ["fairlearn", log, "1"]) for _ in range(args.repeat)]
            fl = {
                "in_process": [r["seconds"][0] for r in reps],
                "process": [r["process_seconds"] for r in reps],
                "load_seconds": [r["load_seconds"] for r in reps],
                "peak_rss_mib": max(r["peak_rss_mib"] for r in reps),
            }
            run["fairlearn"] = fl
            print(line("fairlearn MetricFrame (process)", fl["process"], fl["peak_rss_mib"]))
            print(line("fairlearn MetricFrame in process", fl["in_process"]))
            cli_min = min(run["count"]["cli"]["seconds"])
            run["speedup_process"] = min(fl["process"]) / cli_min
            run["speedup_in_process"] = min(fl["in_process"]) / min(
                run["count"]["in_process"]["seconds"]
            )
            print(f"  speed-up, whole process (min): {run['speedup_process']:,.0f}x; "
                  f"in process (min): {run['speedup_in_process']:,.0f}x")  # fmt: skip
            run["max_abs_difference"] = check_equal(run["count"]["in_process"], reps[0])
            print(f"  figures equal to fairlearn (max |diff| {run['max_abs_difference']:.1e})")
            for r in reps:
                r.pop("groups", None)
        else:
            print(f"  fairlearn not run at {rows:,} rows (--fairlearn-max-rows)")
        for kind in ("count", "full"):
            run[kind]["in_process"].pop("groups", None)
        results["runs"].append(run)
    path = save("assurance_fairness", results)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
