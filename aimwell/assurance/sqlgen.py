# Identifiers are quoted with Dialect.q and values rendered by literal(); no user text
# reaches SQL unescaped, so the generic string-built-SQL warning does not apply.
# ruff: noqa: S608
"""SQL shared by the DuckDB and Spark backends.

Both engines accept the same SQL for everything the assurance engine needs (CUBE,
GROUPING(), aggregate FILTER clauses, window sums), so the metrics are defined once here and
the backends only differ in how a log becomes a relation and how rows are fetched. That is
also what guarantees that the two backends agree.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .config import ColumnSpec
from .errors import ConfigurationError
from .io import NUMERIC


@dataclass(frozen=True)
class Dialect:
    quote_char: str
    bigint: str  # exact integer type wide enough for n_pos * n_neg sums

    def q(self, name: str) -> str:
        c = self.quote_char
        return c + name.replace(c, c + c) + c


DUCKDB = Dialect('"', "HUGEINT")
SPARK = Dialect("`", "DECIMAL(38,0)")


def literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigurationError(f"non-finite literal {value}")
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def coerce_label(value: Any, logical: str) -> Any:
    """Interpret a configured positive label (possibly a CLI string) for a column type."""
    if logical == "boolean":
        return str(value).strip().lower() in {"1", "true", "t", "yes", "y"}
    if logical in NUMERIC:
        try:
            f = float(value)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"positive label {value!r} is not a number but the column is {logical}"
            ) from exc
        return int(f) if f.is_integer() else f
    return str(value)


def positive_expr(d: Dialect, column: str, logical: str, pos_label: Any) -> str:
    pos = coerce_label(pos_label, logical)
    col = d.q(column)
    if logical == "boolean":
        return col if pos else f"(NOT {col})"
    return f"({col} = {literal(pos)})"


def outcome_exprs(d: Dialect, spec: ColumnSpec, types: dict[str, str]) -> tuple[str, str]:
    """(y, yhat) boolean expressions; NULL when the label/prediction is NULL."""
    assert spec.label is not None
    y = positive_expr(d, spec.label, types[spec.label], spec.pos_label)
    if spec.prediction is not None:
        yhat = positive_expr(d, spec.prediction, types[spec.prediction], spec.pos_label)
    else:
        assert spec.score is not None
        yhat = f"(CAST({d.q(spec.score)} AS DOUBLE) >= {literal(float(spec.threshold))})"
    return y, yhat


def bin_labels(edges: Sequence[float]) -> list[str]:
    """Names of the intervals that ``edges`` cut the line into: "< e0", "[e0, e1)", ...,
    ">= e_last" (left-closed, like the reference quantile bins of drift)."""
    names = [f"< {edges[0]:g}"]
    names += [f"[{a:g}, {b:g})" for a, b in itertools.pairwise(edges)]
    names.append(f">= {edges[-1]:g}")
    return names


def sensitive_expr(d: Dialect, spec: ColumnSpec, column: str) -> str:
    """The grouping expression of a sensitive attribute: its value, or the name of its
    interval when ``--bin`` gave edges (NULL stays NULL)."""
    edges = spec.edges_of(column)
    col = d.q(column)
    if edges is None:
        return col
    names = bin_labels(edges)
    whens = [
        f"WHEN {col} < {literal(e)} THEN {literal(n)}" for e, n in zip(edges, names, strict=False)
    ]
    return f"CASE WHEN {col} IS NULL THEN NULL {' '.join(whens)} ELSE {literal(names[-1])} END"


def distinct_counts_query(d: Dialect, src: str, exprs: Sequence[str]) -> str:
    """Exact distinct non-null values of each expression, in one pass (d0, d1, ...)."""
    parts = [f"count(DISTINCT {e}) AS d{i}" for i, e in enumerate(exprs)]
    return f"SELECT {', '.join(parts)} FROM {src}"


def class_counts_query(d: Dialect, src: str, label: str, prediction: str | None) -> str:
    """Rows per (actual, predicted) value pair: the label's classes and, with a prediction
    column, the full confusion matrix of a multiclass classifier."""
    pred = d.q(prediction) if prediction else "CAST(NULL AS INTEGER)"
    return (
        f"SELECT y, p, count(*) AS n FROM (SELECT {d.q(label)} AS y, {pred} AS p FROM {src}) t "
        "GROUP BY y, p"
    )


def main_aggregate(
    d: Dialect,
    src: str,
    spec: ColumnSpec,
    types: dict[str, str],
    attributions: Sequence[str],
) -> str:
    """One pass: confusion counts, regression sums and attribution sums for every
    combination of the sensitive attributes (all 2^k grouping sets, i.e. a CUBE), including
    the overall row.

    For classification each grouping set also groups by the outcome cell (y, yhat): the
    confusion counts are then plain ``count(*)`` per cell, which keeps the hash aggregation
    as cheap as a scan (FILTERed counts per group cost about twice as much). The engine
    folds the cells back into tp/fp/tn/fn and "excluded" (a NULL y or yhat).
    """
    sens = list(spec.sensitive)
    keys = [f"k{i}" for i in range(len(sens))]
    inner = [f"{sensitive_expr(d, spec, s)} AS k{i}" for i, s in enumerate(sens)]
    extra: list[str] = []
    aggs = ["count(*) AS n_rows"]
    if spec.has_outcome:
        if spec.task == "classification":
            y, yhat = outcome_exprs(d, spec, types)
            inner += [f"{y} AS y_", f"{yhat} AS yh_"]
            extra = ["y_", "yh_"]
        else:
            assert spec.label is not None and spec.prediction is not None
            lab, pred = d.q(spec.label), d.q(spec.prediction)
            inner += [
                f"CAST({lab} AS DOUBLE) AS yv_",
                f"CAST({pred} AS DOUBLE) - CAST({lab} AS DOUBLE) AS err_",
            ]
            aggs += [
                "count(*) FILTER (WHERE err_ IS NULL) AS n_excluded",
                "count(err_) AS reg_n",
                "sum(abs(err_)) AS reg_abs",
                "sum(err_) AS reg_sum",
                "sum(err_ * err_) AS reg_sq",
                "var_pop(yv_) FILTER (WHERE err_ IS NOT NULL) AS reg_var",
            ]
    for i, a in enumerate(attributions):
        inner.append(f"abs(CAST({d.q(a)} AS DOUBLE)) AS a{i}")
        aggs += [f"count(a{i}) AS an{i}", f"sum(a{i}) AS as{i}"]
    sel = [f"GROUPING(k{i}) AS g{i}" for i in range(len(sens))] + keys + extra + aggs
    sets = [
        "(" + ", ".join([*combo, *extra]) + ")"
        for r in range(len(keys) + 1)
        for combo in itertools.combinations(keys, r)
    ]
    group = f" GROUP BY GROUPING SETS ({', '.join(sets)})" if sens or extra else ""
    inner_sql = ", ".join(inner) if inner else "1 AS one_"
    return f"SELECT {', '.join(sel)} FROM (SELECT {inner_sql} FROM {src}) t{group}"


def score_filter(d: Dialect, spec: ColumnSpec) -> str:
    assert spec.label is not None and spec.score is not None
    s = d.q(spec.score)
    return f"{d.q(spec.label)} IS NOT NULL AND {s} IS NOT NULL AND NOT isnan(CAST({s} AS DOUBLE))"


def auc_query(d: Dialect, src: str, spec: ColumnSpec, types: dict[str, str]) -> str:
    """Mann-Whitney numerator with ties as 1/2, from per-score positive/negative counts."""
    assert spec.label is not None and spec.score is not None
    y = positive_expr(d, spec.label, types[spec.label], spec.pos_label)
    big = d.bigint
    return (
        f"WITH b AS (SELECT {y} AS y_, CAST({d.q(spec.score)} AS DOUBLE) AS s_ FROM {src} "
        f"WHERE {score_filter(d, spec)}), "
        "g AS (SELECT s_, count(*) FILTER (WHERE y_) AS pos, "
        "count(*) FILTER (WHERE NOT y_) AS neg FROM b GROUP BY s_), "
        "r AS (SELECT pos, neg, coalesce(sum(neg) OVER (ORDER BY s_ ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM g) "
        f"SELECT sum(2 * CAST(pos AS {big}) * CAST(below AS {big}) "
        f"+ CAST(pos AS {big}) * CAST(neg AS {big})) AS twice_u, "
        "sum(pos) AS n_pos, sum(neg) AS n_neg FROM r"
    )


def sorted_scores_query(d: Dialect, src: str, spec: ColumnSpec, types: dict[str, str]) -> str:
    """(score, is-positive) of the scored rows, ascending by score, for ``rankauc``."""
    assert spec.label is not None and spec.score is not None
    y = positive_expr(d, spec.label, types[spec.label], spec.pos_label)
    return (
        f"SELECT CAST({d.q(spec.score)} AS DOUBLE) AS s_, {y} AS y_ FROM {src} "
        f"WHERE {score_filter(d, spec)} ORDER BY s_"
    )


def calibration_query(
    d: Dialect, src: str, spec: ColumnSpec, types: dict[str, str], edges: Sequence[float]
) -> str:
    from .stats import calibration_case_sql

    assert spec.label is not None and spec.score is not None
    y = positive_expr(d, spec.label, types[spec.label], spec.pos_label)
    return (
        f"SELECT {calibration_case_sql('s_', edges)} AS bin_, count(*) AS n, sum(s_) AS s, "
        "count(*) FILTER (WHERE y_) AS pos, sum((s_ - yv_) * (s_ - yv_)) AS sq "
        f"FROM (SELECT {y} AS y_, CASE WHEN {y} THEN 1.0 ELSE 0.0 END AS yv_, "
        f"CAST({d.q(spec.score)} AS DOUBLE) AS s_ FROM {src} WHERE {score_filter(d, spec)}) t "
        "GROUP BY 1"
    )


def column_stats_query(d: Dialect, src: str, types: dict[str, str], columns: Sequence[str]) -> str:
    """Row count, non-null counts and numeric min/max of all columns in one pass.

    Only plain count/min/max: DuckDB answers them from Parquet metadata without a scan.
    NaN sorts above every number in both engines, so a float column has NaNs exactly when
    its max is NaN; only then does ``nan_stats_query`` look at the values.
    """
    parts = ["count(*) AS n_rows"]
    for i, c in enumerate(columns):
        qc = d.q(c)
        parts.append(f"count({qc}) AS c{i}")
        if types[c] in NUMERIC:
            parts += [f"min({qc}) AS lo{i}", f"max({qc}) AS hi{i}"]
    return f"SELECT {', '.join(parts)} FROM {src}"


def nan_stats_query(d: Dialect, src: str, columns: dict[int, str]) -> str:
    """NaN counts and NaN-free min/max of the given float columns ({index: name})."""
    parts = []
    for i, c in columns.items():
        qc = d.q(c)
        parts += [
            f"count(*) FILTER (WHERE isnan({qc})) AS nan{i}",
            f"min({qc}) FILTER (WHERE NOT isnan({qc})) AS lo{i}",
            f"max({qc}) FILTER (WHERE NOT isnan({qc})) AS hi{i}",
        ]
    return f"SELECT {', '.join(parts)} FROM {src}"


def out_of_range_query(d: Dialect, src: str, ranges: dict[int, tuple[str, tuple[Any, Any]]]) -> str:
    """Values outside reference bounds ({index: (column, (min, max))}); NaN is not counted."""
    parts = [
        f"count(*) FILTER (WHERE {d.q(c)} < {literal(lo)} OR {d.q(c)} > {literal(hi)}) AS oor{i}"
        for i, (c, (lo, hi)) in ranges.items()
    ]
    return f"SELECT {', '.join(parts)} FROM {src}"


def category_counts_query(d: Dialect, src: str, columns: Sequence[str]) -> str:
    """Counts per value of several columns in one pass (one grouping set per column)."""
    keys = ", ".join(f"{d.q(c)} AS k{i}" for i, c in enumerate(columns))
    sel = [f"GROUPING(k{i}) AS g{i}" for i in range(len(columns))]
    sel += [f"k{i}" for i in range(len(columns))] + ["count(*) AS n"]
    sets = ", ".join(f"(k{i})" for i in range(len(columns)))
    return (
        f"SELECT {', '.join(sel)} FROM (SELECT {keys} FROM {src}) t GROUP BY GROUPING SETS ({sets})"
    )


def numeric_values_query(d: Dialect, src: str, columns: Sequence[str]) -> str:
    cols = ", ".join(f"CAST({d.q(c)} AS DOUBLE) AS v{i}" for i, c in enumerate(columns))
    return f"SELECT {cols} FROM {src}"
