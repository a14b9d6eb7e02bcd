"""Data drift on 10 numeric features, 1M reference rows vs 1M current rows: Aimwell's exact
and profile modes vs Evidently's DataDriftPreset, each as a whole process (for Aimwell, the
`aimwell assurance report` command a user runs; for Evidently, a script reading the same
Parquet files) and in process, with the same number of repetitions on every side (min and
median) and peak memory measured from outside (GNU time, see _measure.py).

Evidently runs in its own virtual environment (benchmarks/.venv-evidently, created on first
use with ``pip install evidently "pandas<3"``: its dependencies clash with ours, and it does
not import with pandas 3) with DO_NOT_TRACK=1. Every measurement runs in a fresh process.
Evidently's per-column Wasserstein distance (normed) is checked against ours.

    python benchmarks/assurance_drift.py [--rows 1000000] [--windows 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _measure import (  # noqa: E402
    emit,
    machine,
    run_process,
    run_worker,
    save,
    summary,
    timed,
)

FEATURES = [f"f{i}" for i in range(10)]
VENV = HERE / ".venv-evidently"


# ------------------------------------------------------------------------------ workers
def _spec() -> Any:
    from aimwell.assurance import ColumnSpec

    return ColumnSpec(features=tuple(FEATURES))


def _wd(rep: Any) -> dict[str, float]:
    return {f.column: f.metrics["wasserstein_normed"].value for f in rep.drift.features}


def w_exact(ref: str, cur: str, repeat: int) -> dict[str, Any]:
    from aimwell.assurance import assess

    times, rep = timed(lambda: assess(cur, _spec(), reference=ref, drift_mode="exact"), repeat)
    return {"seconds": times, "timings": rep.timings, "wasserstein_normed": _wd(rep)}


def w_profile(ref: str, cur: str, repeat: int, profile_path: str) -> dict[str, Any]:
    import numpy as np
    import pyarrow.parquet as pq

    from aimwell.assurance import assess, build_profile
    from aimwell.data_drift.profile import ReferenceProfile, WindowAccumulator, compare_numeric

    build_times, prof = timed(lambda: build_profile(ref, FEATURES), 1)
    prof.to_json(profile_path)
    size = Path(profile_path).stat().st_size
    prof = ReferenceProfile.from_json(profile_path)
    # End to end per window: read the Parquet window, quality pass, one binning pass.
    times, rep = timed(lambda: assess(cur, _spec(), profile=prof), repeat)
    # The comparison itself, on a window already in memory (as Evidently gets DataFrames).
    table = pq.read_table(cur, columns=FEATURES)
    arrays = [table.column(c).to_numpy() for c in FEATURES]
    for c in FEATURES:  # build the lookup grids outside the timing, as a monitor would
        prof.columns[c].binner()

    th = _spec().thresholds

    def one(c: str, x: Any) -> Any:
        acc = WindowAccumulator(prof.columns[c])
        acc.add(x[~np.isnan(x)], 0)
        return compare_numeric(acc, th)

    # Two worker threads, as the engine bins columns (NumPy releases the GIL).
    with ThreadPoolExecutor(max_workers=2) as pool:
        mem_times, feats = timed(lambda: list(pool.map(one, FEATURES, arrays)), repeat)
    ks_tol = max(f.metrics["ks"].tolerance for f in feats)
    return {
        "build_seconds": build_times[0],
        "profile_bytes": size,
        "seconds": times,
        "timings": rep.timings,
        "in_memory_seconds": mem_times,
        "max_ks_tolerance": ks_tol,
        "wasserstein_normed": _wd(rep),
    }


def w_evidently(ref: str, cur: str) -> dict[str, Any]:
    import pandas as pd
    from evidently import Report
    from evidently.presets import DataDriftPreset

    t = time.perf_counter()
    ref_df = pd.read_parquet(ref, columns=FEATURES)
    cur_df = pd.read_parquet(cur, columns=FEATURES)
    load = time.perf_counter() - t
    times, snap = timed(lambda: Report([DataDriftPreset()]).run(cur_df, ref_df), 1)
    wd = {}
    for m in snap.dict()["metrics"]:
        cfg = m.get("config", {})
        if cfg.get("column") in FEATURES and "Wasserstein" in str(cfg.get("method")):
            wd[cfg["column"]] = float(m["value"])
    import evidently

    return {
        "seconds": times,
        "load_seconds": load,
        "wasserstein_normed": wd,
        "version": evidently.__version__,
    }


def worker(argv: list[str]) -> None:
    task, ref, cur, repeat = argv[0], argv[1], argv[2], int(argv[3])
    if task == "exact":
        emit(w_exact(ref, cur, repeat))
    elif task == "profile":
        emit(w_profile(ref, cur, repeat, argv[4]))
    elif task == "evidently":
        emit(w_evidently(ref, cur))


# ------------------------------------------------------------------------------ driver
def ensure_evidently() -> str:
    python = VENV / "bin" / "python"
    env = {**os.environ, "DO_NOT_TRACK": "1"}
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run(
        [str(python), "-c", "import evidently, pyarrow"], env=env, capture_output=True
    )
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "evidently", "pandas<3", "pyarrow"],
            check=True,
            env=env,
        )
    return str(python)


def line(name: str, seconds: list[float], peak: float | None = None) -> str:
    s = summary(seconds)
    mem = f"  peak {peak:6.0f} MiB" if peak is not None else ""
    return f"  {name:<40} min {s['min']:8.3f} s  median {s['median']:8.3f} s (n={s['n']}){mem}"


def cli(exe: str, cur: str, extra: list[str], repeat: int) -> dict[str, Any]:
    out = str(HERE / "data" / "drift-report.json")
    cmd = [exe, "assurance", "report", cur, *[a for f in FEATURES for a in ("--feature", f)]]
    runs = [run_process([*cmd, *extra, "--output", out, "--quiet"]) for _ in range(repeat)]
    return {
        "seconds": [r["seconds"] for r in runs],
        "cpu_seconds": [r["cpu_seconds"] for r in runs],
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-evidently", action="store_true")
    args = ap.parse_args()
    import assurance_gen

    ref = str(assurance_gen.ensure(args.rows))
    cur = str(assurance_gen.ensure(args.rows, shift=True))
    script = Path(__file__).resolve()
    exe = str(Path(sys.executable).with_name("aimwell"))
    out: dict[str, Any] = {"machine": machine(), "rows": args.rows, "repeat": args.repeat}
    prof_path = str(assurance_gen.DATA / f"profile_{args.rows}.json")
    build = run_process([exe, "assurance", "profile", ref,
                         *[a for f in FEATURES for a in ("--feature", f)], "--out", prof_path,
                         "--quiet"])  # fmt: skip
    out["profile_build_process"] = {"seconds": build["seconds"], "peak": build["peak_rss_mib"]}
    print(f"profile build (once per model version): {build['seconds']:.3f} s, "
          f"peak {build['peak_rss_mib']:.0f} MiB")  # fmt: skip
    out["cli_exact"] = cli(exe, cur, ["--reference", ref], args.repeat)
    out["cli_profile"] = cli(exe, cur, ["--profile", prof_path], args.repeat)
    print(line("aimwell CLI exact (process)", out["cli_exact"]["seconds"],
               out["cli_exact"]["peak_rss_mib"]))  # fmt: skip
    print(line("aimwell CLI profile, per window (process)", out["cli_profile"]["seconds"],
               out["cli_profile"]["peak_rss_mib"]))  # fmt: skip
    out["exact"] = run_worker(script, ["exact", ref, cur, str(args.repeat)])
    print(line("engine exact, in process", out["exact"]["seconds"]))
    out["profile"] = run_worker(script, ["profile", ref, cur, str(args.repeat), prof_path])
    p = out["profile"]
    print(line("engine profile per window, in process", p["seconds"]))
    print(line("profile comparison, window in memory", p["in_memory_seconds"]))
    print(f"  KS tolerance <= {p['max_ks_tolerance']:.1e}")
    if not args.no_evidently:
        python = ensure_evidently()
        reps = [
            run_worker(
                script, ["evidently", ref, cur, "1"], python=python, env={"DO_NOT_TRACK": "1"}
            )
            for _ in range(args.repeat)
        ]
        ev = {
            "process": [r["process_seconds"] for r in reps],
            "in_process": [r["seconds"][0] for r in reps],
            "load_seconds": [r["load_seconds"] for r in reps],
            "peak_rss_mib": max(r["peak_rss_mib"] for r in reps),
            "version": reps[0]["version"],
        }
        out["evidently"] = ev
        print(line("Evidently DataDriftPreset (process)", ev["process"], ev["peak_rss_mib"]))
        print(line("Evidently DataDriftPreset in process", ev["in_process"]))
        diff = max(
            abs(reps[0]["wasserstein_normed"][c] - out["exact"]["wasserstein_normed"][c])
            for c in FEATURES
        )
        out["max_wasserstein_difference"] = diff
        for mode in ("cli_exact", "cli_profile"):
            out[f"speedup_{mode}"] = min(ev["process"]) / min(out[mode]["seconds"])
        print(f"  whole process, min: exact {out['speedup_cli_exact']:.0f}x, profile "
              f"{out['speedup_cli_profile']:.0f}x Evidently; "
              f"Wasserstein max |diff| {diff:.1e}")  # fmt: skip
    print(json.dumps({"saved": str(save("assurance_drift", out))}))


if __name__ == "__main__":
    main()
