"""Progress on a terminal: stage labels and an ETA while the run lasts, nothing with --quiet
(and nothing when stderr is not a terminal)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from typing import Any


def _on_terminal(args: list[str]) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; everything it printed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "aimwell.assurance", *args],
        stdout=follower, stderr=follower, env=env,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process has exited
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_stages_and_eta_and_quiet_shows_nothing(logs: Any, tmp_path: Any) -> None:
    args = ["report", str(logs["current"]["parquet"]), "--label", "label", "--prediction",
            "pred", "--score", "score", "--sensitive", "sex"]  # fmt: skip
    shown = _on_terminal([*args, "--output", str(tmp_path / "a.json")])
    assert "reading schema and checking labels" in shown
    assert "ETA" in shown
    quiet = _on_terminal([*args, "--output", str(tmp_path / "b.json"), "--quiet"])
    assert "ETA" not in quiet and "reading schema" not in quiet
    assert quiet.strip().splitlines()[0].startswith("status: ")
