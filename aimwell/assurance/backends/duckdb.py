# Identifiers are quoted with Dialect.q and values rendered by literal(); no user text
# reaches SQL unescaped, so the generic string-built-SQL warning does not apply.
# ruff: noqa: S608
"""DuckDB backend: SQL over read_parquet/read_csv, so logs are streamed, never loaded whole.

Aggregations (confusion counts per CUBE group, column statistics, category counts) run as
single parallel scans reading only the needed columns; only their small results reach
Python. Numeric columns for drift are fetched as Arrow record batches.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb
import numpy as np

from ..errors import AssuranceError, ConfigurationError, EmptyLogError, UnreadableLogError
from ..io import LogSource
from ..sqlgen import DUCKDB, literal, numeric_values_query
from .base import Backend

BATCH_ROWS = 1 << 20
# DuckDB's own default is 80 % of the machine's RAM: on a shared server one large log would
# take it all. Beyond this limit, sorts, joins and aggregates spill to TEMP_DIR instead.
DEFAULT_MEMORY_LIMIT = "256MB"
MEMORY_LIMIT_ENV = "AIMWELL_ASSURANCE_MEMORY_LIMIT"
TEMP_DIR_ENV = "AIMWELL_ASSURANCE_TEMP_DIR"


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class DuckDBBackend(Backend):
    name = "duckdb"
    dialect = DUCKDB
    # Rows per batch of the sorted scores streamed to the exact AUC (about 9 MiB).
    score_batch_rows = BATCH_ROWS

    def __init__(
        self,
        threads: int | None = None,
        memory_limit: str | None = None,
        connection: duckdb.DuckDBPyConnection | None = None,
        temp_directory: str | os.PathLike[str] | None = None,
    ) -> None:
        """``memory_limit`` (e.g. "1GB"; default AIMWELL_ASSURANCE_MEMORY_LIMIT, else
        256MB) caps DuckDB's memory; work beyond it spills to ``temp_directory`` (default
        AIMWELL_ASSURANCE_TEMP_DIR, else a folder of this process under the system temporary
        directory, removed on close). A caller's own ``connection`` keeps its settings."""
        self._own = connection is None
        self.con = connection or duckdb.connect(":memory:")
        self._spill_dir: str | None = None
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if self._own:
            limit = memory_limit or os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT
            try:
                self.con.execute(f"SET memory_limit = {literal(limit)}")
            except duckdb.Error as exc:
                raise ConfigurationError(
                    f"invalid memory limit {limit!r}: use a size such as 512MB or 2GB"
                ) from exc
            spill = temp_directory or os.environ.get(TEMP_DIR_ENV)
            if spill is None:
                spill = self._spill_dir = os.path.join(
                    tempfile.gettempdir(), f"aimwell-assurance-{os.getpid()}-{id(self)}"
                )
            self.con.execute(f"SET temp_directory = {literal(os.fspath(spill))}")
        elif memory_limit:
            self.con.execute(f"SET memory_limit = {literal(memory_limit)}")
        # Order of rows never matters for aggregates; dropping it lets scans stream with
        # less buffering.
        self.con.execute("SET preserve_insertion_order = false")
        self._remote_ready: set[str] = set()
        self._owner = threading.current_thread()
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """The connection for the calling thread: a DuckDB connection must not run two
        queries at once, so worker threads get their own cursor on the same database."""
        if threading.current_thread() is self._owner:
            return self.con
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self.con.cursor()
            self._cursors.append(cur)
        return cur

    # ------------------------------------------------------------------ sources
    def _prepare_remote(self, source: LogSource) -> None:
        scheme = source.scheme
        if not source.remote or scheme in self._remote_ready:
            return
        try:
            if scheme in ("az", "azure", "abfss"):
                self.con.execute("INSTALL azure; LOAD azure")
                conn = os.environ.get("AZURE_STORAGE_CONNECTION_STRING")
                if conn:
                    self.con.execute(
                        "CREATE OR REPLACE SECRET aimwell_az "
                        f"(TYPE azure, CONNECTION_STRING {literal(conn)})"
                    )
            else:
                self.con.execute("INSTALL httpfs; LOAD httpfs")
                if scheme in ("s3", "s3a", "r2", "gs", "gcs"):
                    self._s3_secret(scheme)
        except duckdb.Error as exc:
            raise UnreadableLogError(
                f"cannot open {source.uri}: object-store support unavailable ({_first_line(exc)})"
            ) from exc
        self._remote_ready.add(scheme)

    def _s3_secret(self, scheme: str) -> None:
        # Credentials come only from the user's environment (the usual AWS_* variables);
        # without them DuckDB's own defaults apply (public buckets, instance metadata).
        env = os.environ
        key, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
        if not (key and secret):
            return
        kind = "gcs" if scheme in ("gs", "gcs") else "s3"
        opts = [f"TYPE {kind}", f"KEY_ID {literal(key)}", f"SECRET {literal(secret)}"]
        for name, var in (
            ("SESSION_TOKEN", "AWS_SESSION_TOKEN"),
            ("REGION", "AWS_REGION"),
            ("ENDPOINT", "AWS_ENDPOINT_URL"),
        ):
            if env.get(var):
                value = env[var]
                if name == "ENDPOINT":
                    value = value.split("://", 1)[-1]
                opts.append(f"{name} {literal(value)}")
        self.con.execute(f"CREATE OR REPLACE SECRET aimwell_{kind} ({', '.join(opts)})")

    def relation(self, source: LogSource) -> str:
        self._prepare_remote(source)
        files = "[" + ", ".join(literal(p) for p in source.paths) + "]"
        if source.format == "parquet":
            return f"read_parquet({files})"
        return f"read_csv({files}, header = true, auto_detect = true)"

    # ------------------------------------------------------------------ execution
    def _translate(self, exc: duckdb.Error, source: LogSource) -> AssuranceError:
        msg = _first_line(exc)
        low = msg.lower()
        if "no files found" in low or "no such file" in low:
            return EmptyLogError(f"cannot read {source.uri}: {msg}")
        if "magic bytes" in low or ("parquet" in low and "corrupt" in low):
            return UnreadableLogError(
                f"{source.uri} is not a readable Parquet file (truncated or corrupt): {msg}"
            )
        if isinstance(exc, duckdb.ConversionException):
            return UnreadableLogError(f"cannot convert a value in {source.uri}: {msg}")
        return UnreadableLogError(f"cannot read {source.uri}: {msg}")

    def describe(self, source: LogSource) -> dict[str, str]:
        try:
            rows = self.con.execute(f"DESCRIBE SELECT * FROM {self.relation(source)}").fetchall()
        except duckdb.Error as exc:
            raise self._translate(exc, source) from exc
        return {str(r[0]): str(r[1]) for r in rows}

    def query(self, sql: str, source: LogSource) -> list[dict[str, Any]]:
        try:
            cur = self.con.execute(sql)
            names = [d[0] for d in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        except duckdb.Error as exc:
            raise self._translate(exc, source) from exc

    def numeric_batches(
        self, source: LogSource, columns: Sequence[str]
    ) -> Iterator[list[np.ndarray]]:
        sql = numeric_values_query(self.dialect, self.relation(source), columns)
        try:
            reader = self._cursor().sql(sql).to_arrow_reader(BATCH_ROWS)
            for batch in reader:
                yield [
                    np.asarray(batch.column(i).to_numpy(zero_copy_only=False), dtype=np.float64)
                    for i in range(len(columns))
                ]
        except duckdb.Error as exc:
            raise self._translate(exc, source) from exc

    def sorted_score_batches(
        self, sql: str, source: LogSource
    ) -> Iterator[tuple[np.ndarray, np.ndarray]] | None:
        return self._score_batches(sql, source)

    def _score_batches(
        self, sql: str, source: LogSource
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        try:
            reader = self._cursor().sql(sql).to_arrow_reader(self.score_batch_rows)
            for batch in reader:
                scores = batch.column(0).to_numpy(zero_copy_only=False)
                positive = batch.column(1).to_numpy(zero_copy_only=False)
                yield np.asarray(scores, dtype=np.float64), np.asarray(positive, dtype=bool)
        except duckdb.Error as exc:
            raise self._translate(exc, source) from exc

    def enable_progress(self) -> None:
        # Tracked from the start of every query, never printed by DuckDB itself.
        self.con.execute(
            "SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
            "SET progress_bar_time = 0"
        )

    def query_progress(self) -> float | None:
        try:
            return float(self.con.query_progress())
        except (duckdb.Error, RuntimeError):
            return None

    def close(self) -> None:
        for cur in self._cursors:
            cur.close()
        self._cursors.clear()
        self._local = threading.local()
        if self._own:
            self.con.close()
        if self._spill_dir is not None:
            shutil.rmtree(self._spill_dir, ignore_errors=True)
