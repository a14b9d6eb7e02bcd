"""Apache Spark backend (optional: ``pip install aimwell[spark]``) for logs beyond one machine.

It runs the very same SQL as the DuckDB backend (Spark SQL supports CUBE, GROUPING(),
FILTER clauses and the window sum), so both backends give the same numbers. Passes:
one CUBE aggregation for performance/fairness/attributions, one for AUC (a group-by on the
score) and one for calibration, one for column statistics and one for category counts.
Profile-mode drift bins every numeric column on the executors in one ``mapInArrow`` pass and
only ships the per-partition counts back; exact-mode drift needs the sorted columns, so it
collects them to the driver (as Arrow) and is meant for windows that fit in memory there.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BackendUnavailableError, EmptyLogError, UnreadableLogError
from ..io import LogSource
from ..sqlgen import SPARK, numeric_values_query
from .base import Backend

if TYPE_CHECKING:
    from aimwell.data_drift.profile import WindowAccumulator

_counter = itertools.count()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def local_session(
    master: str = "local[2]",
    shuffle_partitions: int = 4,
    local_dir: str | os.PathLike[str] | None = None,
    quiet: bool = False,
) -> Any:
    """A small local session suitable for tests and single-machine use.

    ``local_dir`` is where Spark spills shuffles and sorts that exceed its memory (default:
    AIMWELL_ASSURANCE_TEMP_DIR, else Spark's own /tmp). ``quiet`` starts the JVM with its
    standard error sent to /dev/null: its start-up banner and log4j warnings are written by
    the Java process itself, beyond the reach of Python's logging."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Executors must run the same interpreter (numpy, pyarrow and this package).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise BackendUnavailableError(
            "the Spark backend needs pyspark: pip install 'aimwell[spark]'"
        ) from exc
    builder = (
        SparkSession.builder.master(master)
        .appName("aimwell-assurance")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    spill = local_dir or os.environ.get("AIMWELL_ASSURANCE_TEMP_DIR")
    if spill:
        builder = builder.config("spark.local.dir", os.fspath(spill))
    saved = None
    if quiet:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    try:
        session = builder.getOrCreate()
        if quiet:
            session.sparkContext.setLogLevel("ERROR")
        return session
    except Exception as exc:  # Java missing, port clash...
        raise BackendUnavailableError(f"cannot start Spark: {_first_line(exc)}") from exc
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)


class SparkBackend(Backend):
    name = "spark"
    dialect = SPARK
    exact_columns_per_query = 1000

    def __init__(
        self,
        spark: Any | None = None,
        master: str = "local[2]",
        local_dir: str | os.PathLike[str] | None = None,
        quiet: bool = False,
    ) -> None:
        if spark is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:
                raise BackendUnavailableError(
                    "the Spark backend needs pyspark: pip install 'aimwell[spark]'"
                ) from exc
            spark = SparkSession.getActiveSession()
            self._own = spark is None
            if spark is None:
                spark = local_session(master, local_dir=local_dir, quiet=quiet)
        else:
            self._own = False
        self.spark = spark
        self._views: dict[LogSource, str] = {}

    # ------------------------------------------------------------------ sources
    def _paths(self, source: LogSource) -> list[str]:
        # Hadoop's S3 connector is s3a://; users write s3://.
        return [p.replace("s3://", "s3a://", 1) for p in source.paths]

    def _frame(self, source: LogSource) -> Any:
        reader = self.spark.read
        try:
            if source.format == "parquet":
                return reader.parquet(*self._paths(source))
            return reader.csv(self._paths(source), header=True, inferSchema=True)
        except Exception as exc:
            raise self._translate(exc, source) from exc

    def _translate(self, exc: BaseException, source: LogSource) -> Exception:
        msg = _first_line(exc)
        low = msg.lower()
        if "unable to infer schema" in low or "is empty" in low:
            return EmptyLogError(f"log has no rows: {source.uri}")
        if "not a parquet file" in low or "magic" in low or "corrupt" in low:
            return UnreadableLogError(
                f"{source.uri} is not a readable Parquet file (truncated or corrupt): {msg}"
            )
        return UnreadableLogError(f"cannot read {source.uri}: {msg}")

    def relation(self, source: LogSource) -> str:
        if source not in self._views:
            name = f"aimwell_log_{os.getpid()}_{next(_counter)}"
            self._frame(source).createOrReplaceTempView(name)
            self._views[source] = name
        return self.dialect.q(self._views[source])

    def describe(self, source: LogSource) -> dict[str, str]:
        self.relation(source)
        df = self.spark.table(self._views[source])
        return {f.name: f.dataType.simpleString() for f in df.schema.fields}

    def query(self, sql: str, source: LogSource) -> list[dict[str, Any]]:
        try:
            return [r.asDict() for r in self.spark.sql(sql).collect()]
        except Exception as exc:
            raise self._translate(exc, source) from exc

    # ------------------------------------------------------------------ numeric data
    def numeric_batches(
        self, source: LogSource, columns: Sequence[str]
    ) -> Iterator[list[np.ndarray]]:
        yield self.numeric_columns(source, columns)

    def numeric_columns(self, source: LogSource, columns: Sequence[str]) -> list[np.ndarray]:
        sql = numeric_values_query(self.dialect, self.relation(source), columns)
        try:
            table = self.spark.sql(sql).toArrow()
        except Exception as exc:
            raise self._translate(exc, source) from exc
        return [
            np.asarray(table.column(i).to_numpy(zero_copy_only=False), dtype=np.float64)
            for i in range(len(columns))
        ]

    def accumulate_window(
        self, source: LogSource, accumulators: dict[str, WindowAccumulator]
    ) -> None:
        cols = list(accumulators)
        profiles = [accumulators[c].profile for c in cols]
        sql = numeric_values_query(self.dialect, self.relation(source), cols)

        def bin_partition(batches: Iterator[Any]) -> Iterator[Any]:
            import pyarrow as pa

            arrow_schema = pa.schema(
                [("c", pa.int32()), ("counts", pa.list_(pa.int64())),
                 ("atoms", pa.list_(pa.int64())), ("missing", pa.int64()),
                 ("mn", pa.float64()), ("mx", pa.float64())]
            )  # fmt: skip
            for batch in batches:
                rows: dict[str, list[Any]] = {
                    "c": [], "counts": [], "atoms": [], "missing": [], "mn": [], "mx": []
                }  # fmt: skip
                for i, prof in enumerate(profiles):
                    x = np.asarray(batch.column(i).to_numpy(zero_copy_only=False), dtype=np.float64)
                    nan = np.isnan(x)
                    x = x[~nan]
                    counts, atoms = prof.binner().counts_and_atoms(x)
                    rows["c"].append(i)
                    rows["counts"].append(counts.tolist())
                    rows["atoms"].append(atoms.tolist())
                    rows["missing"].append(int(nan.sum()))
                    rows["mn"].append(float(x.min()) if x.size else None)
                    rows["mx"].append(float(x.max()) if x.size else None)
                yield pa.RecordBatch.from_pydict(rows, schema=arrow_schema)

        schema = (
            "c int, counts array<bigint>, atoms array<bigint>, missing bigint, mn double, mx double"
        )
        try:
            parts = self.spark.sql(sql).mapInArrow(bin_partition, schema).collect()
        except Exception as exc:
            raise self._translate(exc, source) from exc
        for row in parts:
            acc = accumulators[cols[row["c"]]]
            counts = np.asarray(row["counts"], dtype=np.int64)
            atoms = np.asarray(row["atoms"], dtype=np.int64)
            acc.counts = counts if acc.counts is None else acc.counts + counts
            acc.atoms = atoms if acc.atoms is None else acc.atoms + atoms
            acc.n_missing += int(row["missing"])
            if row["mn"] is not None:
                acc.min = min(acc.min, row["mn"])
                acc.max = max(acc.max, row["mx"])

    def close(self) -> None:
        for name in self._views.values():
            self.spark.catalog.dropTempView(name)
        self._views.clear()
        if self._own:
            self.spark.stop()
