"""A prediction log bound to a backend, and the package versions a report records.

Shared by the engine and the generative-AI evaluation (aimwell.generative_evaluation), which both
open logs and stamp their reports; it sits below both so neither imports the other.
"""

from __future__ import annotations

import functools
from importlib import metadata
from pathlib import Path
from typing import Any

from .backends import Backend
from .io import LogSource, check_not_empty, logical_type
from .io import resolve as resolve_log


class Log:
    """A resolved log with its schema, bound to a backend."""

    def __init__(self, backend: Backend, location: str | Path | LogSource) -> None:
        self.source = location if isinstance(location, LogSource) else resolve_log(location)
        self.backend = backend
        self.raw_types = backend.describe(self.source)
        self.types = {c: logical_type(t) for c, t in self.raw_types.items()}
        self.rel = backend.relation(self.source)
        # Report an empty log before any column check can blame a column (a header-only CSV
        # is typed VARCHAR throughout). LIMIT 1 stops after the first row (~1 ms).
        if not backend.query(f"SELECT 1 AS one FROM {self.rel} LIMIT 1", self.source):  # noqa: S608
            check_not_empty(0, self.source)

    def query(self, sql: str) -> list[dict[str, Any]]:
        return self.backend.query(sql, self.source)


@functools.cache
def _cached_versions(backend: str) -> tuple[tuple[str, str], ...]:
    # Reading package metadata parses files (~15 ms): once per process is enough.
    return tuple(_read_versions(backend).items())


def package_versions(backend: str) -> dict[str, str]:
    return dict(_cached_versions(backend))


def _read_versions(backend: str) -> dict[str, str]:
    out = {}
    for pkg in ("aimwell", "duckdb", "numpy", "scipy", "pyspark" if backend == "spark" else ""):
        if not pkg:
            continue
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            continue
    return out
