"""Execution backends: DuckDB (default, one machine) and Spark (optional, a cluster)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from ..io import LogSource, check_not_empty, logical_type
from ..io import resolve as resolve_log
from .base import Backend


def get_backend(name: str = "duckdb", **options: Any) -> Backend:
    """Instantiate a backend by name; Spark is imported only when asked for."""
    if name == "duckdb":
        from .duckdb import DuckDBBackend

        return DuckDBBackend(**options)
    if name == "spark":
        from .spark import SparkBackend

        return SparkBackend(**options)
    raise ConfigurationError(f"unknown backend {name!r}; choose duckdb or spark")


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


__all__ = ["Backend", "Log", "get_backend"]
