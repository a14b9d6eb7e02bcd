"""The benchmarks' memory figure is the measured process's own: a small child started by a
600 MiB parent is reported at its own size, not at the parent's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"

PARENT = """
import json, resource, subprocess, sys
sys.path.insert(0, sys.argv[1])
from _measure import run_process
ballast = bytearray(b"\\x01") * (600 << 20)  # 600 MiB, every page written
child = [sys.executable, "-c", "x = bytearray(b'\\\\x01') * (13 << 20)"]
ours = run_process(child)
subprocess.run(child, check=True)
naive = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"harness": ours["peak_rss_mib"], "naive": naive, "parent": own}))
"""


def test_peak_memory_of_a_small_child_of_a_large_parent_is_the_childs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PARENT, str(BENCHMARKS)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["parent"] > 600
    # The child's interpreter (~10 MiB) plus its 13 MiB buffer, not the parent's 600 MiB.
    assert 13 < figures["harness"] < 60, figures
