"""Helpers shared by the assurance benchmarks: run a task in a fresh interpreter and read
back its timings and its own peak resident memory (ru_maxrss), so that one measurement's
allocations never inflate another's."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def emit(payload: dict[str, Any]) -> None:
    payload["peak_rss_mib"] = round(peak_rss_mib(), 1)
    sys.stdout.write("@@RESULT@@" + json.dumps(payload, default=str) + "\n")


def run_worker(
    script: Path, args: list[str], python: str | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    cmd = [python or sys.executable, str(script), "--worker", *args]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@") :])
    raise RuntimeError(f"worker {args} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def machine() -> dict[str, Any]:
    from importlib import metadata

    versions = {}
    for pkg in ("duckdb", "numpy", "scipy", "pyarrow", "pandas", "fairlearn", "scikit-learn"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[pkg] = metadata.version(pkg)
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) // 1024
    except OSError:
        pass
    return {
        # The machine may be shared: record its load when the run started.
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "memory_mib": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def save(name: str, data: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path
