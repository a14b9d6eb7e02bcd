"""Execution backends: DuckDB (default, one machine) and Spark (optional, a cluster)."""

from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError
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


__all__ = ["Backend", "get_backend"]
