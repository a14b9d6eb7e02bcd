"""Helpers shared by the assurance benchmarks: run a task as a fresh process and measure it
from outside, as a user meets it: its wall time, and its own peak resident memory.

Peak memory comes from GNU time (``/usr/bin/time -f %M``), which reports the maximum RSS of
the command it starts itself. ``ru_maxrss`` read by (or for) a child started directly from
this driver is not that: a child forked from a large process inherits the parent's resident
pages in its high-water mark across exec, so a 13 MiB child of a 600 MiB parent reports
~613 MiB. GNU time is a small process; what it forks inherits nothing to speak of.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
GNU_TIME = "/usr/bin/time"
_MARK = "@@MAXRSS_KIB@@"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def summary(seconds: Sequence[float]) -> dict[str, float]:
    return {"min": min(seconds), "median": statistics.median(seconds), "n": len(seconds)}


def emit(payload: dict[str, Any]) -> None:
    sys.stdout.write("@@RESULT@@" + json.dumps(payload, default=str) + "\n")


def run_process(
    cmd: Sequence[str], env: dict[str, str] | None = None, check: bool = True
) -> dict[str, Any]:
    """Run ``cmd`` under GNU time: wall seconds, peak RSS (MiB) of that process alone, its
    exit code and output."""
    if not Path(GNU_TIME).exists() and shutil.which("time") is None:
        raise RuntimeError("GNU time is needed to measure peak memory: apt-get install time")
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    t = time.perf_counter()
    proc = subprocess.run(
        [GNU_TIME, "-f", _MARK + "%M %U %S", *cmd],
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )
    wall = time.perf_counter() - t
    lines = proc.stderr.splitlines()
    marks = [ln for ln in lines if ln.startswith(_MARK)]
    if not marks:
        raise RuntimeError(f"no memory figure from GNU time for {cmd}:\n{proc.stderr[-2000:]}")
    stderr = "\n".join(ln for ln in lines if not ln.startswith(_MARK))
    kib, user, system = marks[-1][len(_MARK) :].split()
    if check and proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return {
        "seconds": wall,
        "peak_rss_mib": round(int(kib) / 1024, 1),
        # CPU time (user + system) of the process: far less sensitive than wall time to other
        # work on a shared machine.
        "cpu_seconds": round(float(user) + float(system), 2),
        "returncode": proc.returncode,
        "stdout": proc.stdout,
        "stderr": stderr,
    }


def run_worker(
    script: Path, args: list[str], python: str | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``script --worker ARGS`` in a fresh interpreter; its JSON result plus the whole
    process's wall time and peak memory."""
    done = run_process([python or sys.executable, str(script), "--worker", *args], env)
    for line in done["stdout"].splitlines():
        if line.startswith("@@RESULT@@"):
            result: dict[str, Any] = json.loads(line[len("@@RESULT@@") :])
            result["process_seconds"] = done["seconds"]
            result["peak_rss_mib"] = done["peak_rss_mib"]
            return result
    raise RuntimeError(f"worker {args} failed:\n{done['stdout'][-2000:]}\n{done['stderr'][-4000:]}")


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
