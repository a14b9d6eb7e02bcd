"""The small interface the engine needs from an execution backend."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from ..io import LogSource
from ..sqlgen import Dialect

if TYPE_CHECKING:
    from aimwell.data_drift.profile import WindowAccumulator


class Backend(ABC):
    name: str
    dialect: Dialect
    # Exact drift fetches this many numeric columns per query: one at a time bounds the
    # memory of a local scan; a cluster backend prefers one job for all columns.
    exact_columns_per_query: int = 1

    @abstractmethod
    def relation(self, source: LogSource) -> str:
        """A SQL FROM-clause expression reading the log (streamed by the engine)."""

    @abstractmethod
    def describe(self, source: LogSource) -> dict[str, str]:
        """Column name -> raw type name, in log order."""

    @abstractmethod
    def query(self, sql: str, source: LogSource) -> list[dict[str, Any]]:
        """Run SQL and return all (small) result rows as dicts."""

    @abstractmethod
    def numeric_batches(
        self, source: LogSource, columns: Sequence[str]
    ) -> Iterator[list[np.ndarray]]:
        """Batches of the given columns as float64 arrays (NULL -> NaN)."""

    def numeric_columns(self, source: LogSource, columns: Sequence[str]) -> list[np.ndarray]:
        """Whole columns as float64 arrays (NULL -> NaN); exact drift needs to sort them."""
        parts: list[list[np.ndarray]] = [[] for _ in columns]
        for batch in self.numeric_batches(source, columns):
            for i, arr in enumerate(batch):
                parts[i].append(arr)
        return [np.concatenate(p) if p else np.empty(0) for p in parts]

    def accumulate_window(
        self, source: LogSource, accumulators: dict[str, WindowAccumulator]
    ) -> None:
        """One pass over the window, binning every numeric column against its profile."""
        cols = list(accumulators)
        for c in cols:  # build the lookup grids once, before any thread uses them
            accumulators[c].profile.binner()

        def add(c: str, arr: np.ndarray) -> None:
            nan = np.isnan(arr)
            n_nan = int(nan.sum())
            accumulators[c].add(arr[~nan] if n_nan else arr, n_nan)

        # NumPy releases the GIL in the binning kernels, so columns bin in parallel; each
        # accumulator is touched by one thread per batch.
        with ThreadPoolExecutor(max_workers=min(len(cols), os.cpu_count() or 1) or 1) as pool:
            for batch in self.numeric_batches(source, cols):
                list(pool.map(add, cols, batch))

    def sorted_score_batches(self, sql: str, source: LogSource) -> Iterator[tuple[Any, Any]] | None:
        """(scores, is-positive) NumPy batches of an ORDER BY query streamed from an external
        sort, or None when the backend prefers the aggregate SQL of ``auc_query``."""
        return None

    def enable_progress(self) -> None:  # noqa: B027 - optional hook
        """Start tracking the progress of queries (for ``query_progress``)."""

    def query_progress(self) -> float | None:
        """Percent done of the running query (called from another thread), or None when the
        backend cannot tell."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (connections, sessions the backend owns)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
