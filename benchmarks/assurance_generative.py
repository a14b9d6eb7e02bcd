"""Generative-AI evaluation logs: `aimwell assurance report --task generative` as a whole process
and in process, next to what a data scientist would otherwise write (pandas group-bys and
SciPy's Wilson interval, `binomtest(...).proportion_ci(method="wilson")`), both as fresh
processes and in process, the same number of repetitions (min and median), peak memory from
outside (GNU time, see _measure.py), and the agreement of the two sides' figures.

Data: the demo's evaluation suite generator (`aimwell.monitoring.synthetic`), a current run and
a baseline run of N test cases each (category, language, refusal flag, pass/fail), as CSV.

    .venv/bin/python benchmarks/assurance_generative.py --rows 100000 --rows 1000000 [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _measure import ROOT, emit, machine, run_process, run_worker, save, summary, timed

DATA = ROOT / "benchmarks" / "data"
OPTIONS = ["--task", "generative", "--category", "category", "--outcome", "verdict",
           "--sensitive", "language", "--refusal", "refused"]  # fmt: skip


def logs(rows: int) -> tuple[Path, Path]:
    from aimwell.monitoring.synthetic import assistant_evaluation_log

    paths = []
    for name, seed, accuracy in (("current", 510, 0.9), ("baseline", 501, 0.86)):
        path = DATA / f"eval-{name}-{rows}.csv"
        if not path.exists():
            assistant_evaluation_log(path, n=rows, seed=seed, accuracy=accuracy)
        paths.append(path)
    return paths[0], paths[1]


def ours(current: str, baseline: str) -> dict[str, Any]:
    from aimwell.generative_evaluation import GenerativeSpec, assess_generative

    spec = GenerativeSpec(
        category="category", outcome="verdict", sensitive="language", refusal="refused"
    )
    g = assess_generative(current, spec, baseline).generative
    out = {"overall": (g.overall.pass_rate, g.overall.pass_interval.low)}
    for c in (*g.by_category, *g.by_group, *g.by_category_group):
        out[f"{c.category}|{c.group}"] = (c.pass_rate, c.pass_interval.low)
    out["changes"] = {c.category: c.change for c in g.comparisons}
    return out


def peer(current: str, baseline: str) -> dict[str, Any]:
    """The same figures with pandas and SciPy, as one would write them by hand."""
    import pandas as pd
    from scipy.stats import binomtest

    def rates(frame: Any, keys: list[str]) -> Any:
        grouped = frame.groupby(keys) if keys else frame.assign(_all=0).groupby("_all")
        return grouped.agg(k=("passed", "sum"), n=("passed", "size"), r=("refused", "sum"))

    def wilson(k: int, n: int) -> tuple[float, float]:
        ci = binomtest(int(k), int(n)).proportion_ci(0.95, method="wilson")
        return float(ci.low), float(ci.high)

    cur = pd.read_csv(current)
    base = pd.read_csv(baseline)
    for frame in (cur, base):
        frame["passed"] = frame["verdict"].str.strip().str.lower() == "pass"
    out: dict[str, Any] = {}
    for keys in ([], ["category"], ["language"], ["category", "language"]):
        for key, row in rates(cur, keys).iterrows():
            parts = key if isinstance(key, tuple) else (key,)
            category = parts[0] if "category" in keys else None
            language = parts[-1] if "language" in keys else None
            name = f"{category}|{language}" if keys else "overall"
            out[name] = (row["k"] / row["n"], wilson(row["k"], row["n"])[0])
            wilson(row["r"], row["n"])  # the refusal rate's interval too
    before = rates(base, ["category"])
    now = rates(cur, ["category"])
    out["changes"] = {
        c: now.loc[c, "k"] / now.loc[c, "n"] - before.loc[c, "k"] / before.loc[c, "n"]
        for c in now.index
    }
    return out


def worker(argv: list[str]) -> None:
    kind, current, baseline, repeat = argv[0], argv[1], argv[2], int(argv[3])
    fn = ours if kind == "ours" else peer
    times, figures = timed(lambda: fn(current, baseline), repeat)
    emit({"seconds": times, "figures": {k: v for k, v in figures.items() if k != "changes"},
          "changes": figures["changes"]})  # fmt: skip


def agreement(a: dict[str, Any], b: dict[str, Any]) -> float:
    diffs = [
        abs(x - y)
        for key in a["figures"]
        for x, y in zip(a["figures"][key], b["figures"][key], strict=True)
    ]
    diffs += [abs(a["changes"][c] - b["changes"][c]) for c in b["changes"]]
    return max(diffs)


def line(name: str, seconds: list[float], peak: float | None = None) -> str:
    s = summary(seconds)
    mem = "" if peak is None else f", peak {peak:.0f} MiB"
    return f"  {name:<44} min {s['min']:.3f} s, median {s['median']:.3f} s{mem}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "repeat": args.repeat, "rows": {}}
    exe = str(Path(sys.executable).parent / "aimwell")
    script = Path(__file__).resolve()
    for rows in args.rows or [100_000]:
        current, baseline = (str(p) for p in logs(rows))
        out = DATA / "eval-report.json"
        cli = [run_process([exe, "assurance", "report", current, *OPTIONS, "--baseline",
                            baseline, "--output", str(out), "--quiet"])
               for _ in range(args.repeat)]  # fmt: skip
        peer_procs = [run_worker(script, ["peer", current, baseline, "1"])
                      for _ in range(args.repeat)]  # fmt: skip
        inside = run_worker(script, ["ours", current, baseline, str(args.repeat)])
        peer_inside = run_worker(script, ["peer", current, baseline, str(args.repeat)])
        entry = {
            "cli_process": summary([c["seconds"] for c in cli]),
            "cli_cpu": summary([c["cpu_seconds"] for c in cli]),
            "cli_peak_rss_mib": max(c["peak_rss_mib"] for c in cli),
            "in_process": summary(inside["seconds"]),
            "peer_process": summary([p["process_seconds"] for p in peer_procs]),
            "peer_peak_rss_mib": max(p["peak_rss_mib"] for p in peer_procs),
            "peer_in_process": summary(peer_inside["seconds"]),
            "max_abs_difference": agreement(inside, peer_inside),
        }
        results["rows"][rows] = entry
        print(f"{rows:,} test cases per run (current + baseline):")
        print(line("aimwell assurance report (whole process)", [c["seconds"] for c in cli],
                   entry["cli_peak_rss_mib"]))  # fmt: skip
        print(line("engine in process", inside["seconds"]))
        print(line("pandas + SciPy (whole process)", [p["process_seconds"] for p in peer_procs],
                   entry["peer_peak_rss_mib"]))  # fmt: skip
        print(line("pandas + SciPy in process", peer_inside["seconds"]))
        if not math.isfinite(entry["max_abs_difference"]) or entry["max_abs_difference"] > 1e-9:
            raise SystemExit(f"figures disagree: {entry['max_abs_difference']}")
        print(f"  largest difference between the two sides: {entry['max_abs_difference']:.1e}")
    print(f"wrote {save('assurance_generative', results)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2:])
    else:
        main()
