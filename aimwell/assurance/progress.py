"""Progress on a terminal: the stage being worked on, how far its scan has gone, and an ETA.

The engine announces each stage as it starts (``stage(name)``). While a stage's query runs, a
poller asks the backend how much of it is done (DuckDB's ``query_progress``: the share of
the rows it expects to read that it has read) and the bar shows that share with an ETA. A
backend that cannot tell (Spark) shows the stage and the elapsed time only. Disabled (with
``--quiet`` or when stderr is not a terminal) it starts no thread and prints nothing.
"""

from __future__ import annotations

import threading
from typing import Any

POLL_SECONDS = 0.1


class StageProgress:
    def __init__(self, backend: Any, enabled: bool) -> None:
        self.enabled = enabled
        self._backend = backend
        self._stop = threading.Event()
        self._bar: Any = None
        self._task: Any = None
        self._thread: threading.Thread | None = None
        if not enabled:
            return
        backend.enable_progress()
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )

    def __enter__(self) -> StageProgress:
        if self._bar is not None:
            self._bar.__enter__()
            self._task = self._bar.add_task("reading schema", total=100)
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def stage(self, name: str) -> None:
        """A new stage starts: show its name and restart the bar."""
        if self._bar is not None:
            self._bar.reset(self._task, total=100, description=name)

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            done = self._backend.query_progress()
            if done is not None and done >= 0:
                self._bar.update(self._task, completed=min(done, 100.0))
