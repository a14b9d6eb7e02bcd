"""Locating and describing prediction logs, independent of the backend.

A log is a CSV or Parquet file, a directory or glob of such files (e.g. a partitioned
dataset), local or on an object store. Object-store URLs (s3://, gs://, az://, https://)
are read by DuckDB's httpfs/azure extensions or by Spark's Hadoop connectors, with the
credentials the user configured in the environment; nothing is downloaded up front.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import (
    ColumnNotFoundError,
    ColumnTypeError,
    EmptyLogError,
    LogNotFoundError,
    UnreadableLogError,
)

Format = Literal["parquet", "csv"]
REMOTE_SCHEMES = ("s3", "s3a", "gs", "gcs", "r2", "az", "azure", "abfss", "http", "https", "hf")
_PARQUET_EXT = (".parquet", ".pq", ".parq")
_CSV_EXT = (".csv", ".csv.gz", ".tsv", ".txt", ".csv.zst")

# Logical types shared by the backends so that their results compare equal.
NUMERIC = ("integer", "float", "decimal")


@dataclass(frozen=True)
class LogSource:
    uri: str
    format: Format
    paths: tuple[str, ...]
    remote: bool = False

    @property
    def scheme(self) -> str:
        return self.uri.split("://", 1)[0].lower() if self.remote else "file"


def _format_of(name: str) -> Format | None:
    low = name.lower()
    if low.endswith(_PARQUET_EXT):
        return "parquet"
    if low.endswith(_CSV_EXT):
        return "csv"
    return None


def _sniff(path: Path) -> Format:
    with path.open("rb") as fh:
        head = fh.read(4)
    return "parquet" if head == b"PAR1" else "csv"


def resolve(location: str | os.PathLike[str], fmt: Format | None = None) -> LogSource:
    """Validate that a log exists and decide its format; raise a clear error otherwise."""
    uri = os.fspath(location)
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", uri)
    if m and m.group(1).lower() in REMOTE_SCHEMES:
        f = fmt or _format_of(uri.rstrip("/*")) or _format_of(uri) or "parquet"
        return LogSource(uri, f, (uri,), remote=True)
    if m and m.group(1).lower() != "file":
        raise LogNotFoundError(f"unsupported URL scheme in {uri!r}")
    if uri.startswith("file://"):
        uri = uri[len("file://") :]
    path = Path(uri)
    if any(ch in uri for ch in "*?["):
        files = sorted(p for p in glob.glob(uri, recursive=True) if Path(p).is_file())
        if not files:
            raise LogNotFoundError(f"no file matches {uri!r}")
    elif path.is_dir():
        files = sorted(
            str(p) for p in path.rglob("*") if p.is_file() and _format_of(p.name) is not None
        )
        if not files:
            raise LogNotFoundError(f"directory {uri!r} contains no CSV or Parquet file")
    elif path.exists():
        files = [str(path)]
    else:
        raise LogNotFoundError(f"log not found: {uri}")
    if all(os.path.getsize(f) == 0 for f in files):
        raise EmptyLogError(f"log is empty (0 bytes): {uri}")
    files = [f for f in files if os.path.getsize(f) > 0]
    formats = {fmt or _format_of(f) or _sniff(Path(f)) for f in files}
    if len(formats) > 1:
        raise UnreadableLogError(f"{uri!r} mixes CSV and Parquet files")
    return LogSource(uri, formats.pop(), tuple(files))


def logical_type(raw: str) -> str:
    """Map a DuckDB or Spark type name to a small shared vocabulary."""
    t = raw.strip().lower()
    if t.startswith(("decimal", "numeric")):
        return "decimal"
    if t in {"double", "float", "real", "float4", "float8", "doubletype", "floattype"}:
        return "float"
    if re.fullmatch(
        r"(u?(tiny|small|big|huge)?int(eger)?|u?hugeint|long|short|byte|int\d*|"
        r"(long|integer|short|byte)type)",
        t,
    ):
        return "integer"
    if t in {"boolean", "bool", "booleantype"}:
        return "boolean"
    if t in {"varchar", "string", "text", "stringtype"} or t.startswith(("varchar", "char")):
        return "string"
    if t.startswith("enum"):
        return "string"
    if t == "date" or t == "datetype":
        return "date"
    if t.startswith("timestamp"):
        return "timestamp"
    return t


def require_columns(schema: dict[str, str], columns: dict[str, str | None]) -> None:
    """Raise ColumnNotFoundError for the first configured column absent from ``schema``.

    ``columns`` maps a role name (e.g. "label") to a column name or None.
    """
    for role, col in columns.items():
        if col is not None and col not in schema:
            raise ColumnNotFoundError(col, role, schema.keys())


def require_type(schema: dict[str, str], column: str, role: str, allowed: tuple[str, ...]) -> None:
    if schema[column] not in allowed:
        expected = "numeric" if set(allowed) == set(NUMERIC) else ", ".join(allowed)
        raise ColumnTypeError(column, role, schema[column], expected)


def check_not_empty(n_rows: int, source: LogSource) -> None:
    if n_rows == 0:
        raise EmptyLogError(f"log has no rows: {source.uri}")
