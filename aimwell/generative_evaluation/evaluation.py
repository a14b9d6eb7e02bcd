# Identifiers are quoted with Dialect.q and values rendered by literal(); no user text
# reaches SQL unescaped, so the generic string-built-SQL warning does not apply.
# ruff: noqa: S608
"""Generative-AI evaluation logs: one row per test case of an evaluation suite.

From one aggregation pass over the log (``GROUP BY GROUPING SETS`` over category, sensitive
group and run, the same SQL on DuckDB and Spark):

* the pass rate overall, per category, per group and per category x group, each with a
  Wilson score interval (``stats.wilson_interval``, 95 % by default);
* the refusal rate (rows whose refusal flag is true, among rows with a flag) overall, per
  category and per group, with Wilson intervals;
* per scope (all categories, then each category), the gap between the judged groups with the
  highest and lowest pass rates. A gap above ``Thresholds.generative_pass_gap`` (0.1) whose two
  Wilson intervals do not overlap raises a warning: a gap that small samples could explain
  is shown but does not raise anything;
* regression between two runs (two run ids in the log, or a baseline log): per category and
  overall, the change in pass rate with Newcombe's hybrid score interval for the difference
  (method 10 of Newcombe 1998, built from the two Wilson intervals). A category has
  **regressed** when the current run's Wilson upper bound is below the baseline's lower
  bound: non-overlapping 95 % intervals, a conservative two-sided test (for two samples of
  similar size it corresponds to p < about 0.006), so that re-running an unchanged system
  does not raise alarms. Any regression is an alert.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aimwell.assurance.backends import Backend, Log, get_backend
from aimwell.assurance.errors import ColumnTypeError, ConfigurationError
from aimwell.assurance.io import NUMERIC, LogSource, require_columns
from aimwell.assurance.results import (
    AssuranceReport,
    Interval,
    Status,
    ToDict,
    package_versions,
    worst,
)
from aimwell.assurance.sqlgen import DUCKDB, Dialect, literal
from aimwell.assurance.stats import wilson_interval

from .spec import GenerativeSpec

Progress = Callable[[str], None]
# (level, category, group): level is overall, category, group or category_group.
Key = tuple[str, str | None, str | None]
PASS_TEXT = ("pass", "fail")
REFUSAL_TEXT = ("true", "false", "yes", "no")
SHOWN_VALUES = 6

DEFINITIONS = {
    "pass_rate": "passed / n, n = test cases with an outcome (rows without one are excluded)",
    "refusal_rate": "refused / n_refusal, n_refusal = test cases with a refusal flag",
    "intervals": "Wilson score interval (no continuity correction)",
    "judged": "a cell is judged when n >= min_group_size",
    "group_gap": "highest - lowest pass rate over the judged groups of one scope; a warning "
    "when above the threshold and the two groups' Wilson intervals do not overlap",
    "change": "current pass rate - baseline pass rate, with Newcombe's hybrid score interval",
    "regression": "both runs judged and the current Wilson upper bound < the baseline lower "
    "bound (non-overlapping intervals); an alert",
    "improvement": "both runs judged and the current Wilson lower bound > the baseline upper bound",
}


@dataclass
class EvalCell(ToDict):
    """The test cases of one scope: overall, a category, a group, or a category x group."""

    level: str  # overall | category | group | category_group
    category: str | None
    group: str | None
    n_rows: int
    n: int
    n_excluded: int
    passed: int
    pass_rate: float | None
    pass_interval: Interval | None
    judged: bool
    n_refusal: int | None = None
    refused: int | None = None
    refusal_rate: float | None = None
    refusal_interval: Interval | None = None

    def label(self, group_column: str | None) -> str:
        parts = []
        if self.level in ("category", "category_group"):
            parts.append(f"category={self.category}")
        if self.level in ("group", "category_group"):
            parts.append(f"{group_column}={'null' if self.group is None else self.group}")
        return ", ".join(parts) or "overall"


@dataclass
class GroupGap(ToDict):
    scope: str  # "all categories" or a category
    n_groups: int
    n_groups_judged: int
    highest_group: str | None
    highest_rate: float | None
    lowest_group: str | None
    lowest_rate: float | None
    gap: float | None
    intervals_overlap: bool | None
    status: Status
    reasons: list[str] = field(default_factory=list)


@dataclass
class RunComparison(ToDict):
    category: str | None  # None: every category together
    baseline_n: int
    baseline_passed: int
    baseline_rate: float | None
    baseline_interval: Interval | None
    current_n: int
    current_passed: int
    current_rate: float | None
    current_interval: Interval | None
    change: float | None
    change_interval: Interval | None
    judged: bool
    regression: bool
    improvement: bool
    baseline_refusal_rate: float | None = None
    current_refusal_rate: float | None = None


@dataclass
class GenerativeResult(ToDict):
    category_column: str
    group_column: str | None
    pass_rule: str
    refusal_column: str | None
    confidence: float
    interval_method: str
    min_group_size: int
    overall: EvalCell
    by_category: list[EvalCell]
    by_group: list[EvalCell]
    by_category_group: list[EvalCell]
    group_gaps: list[GroupGap]
    largest_group_gap: GroupGap | None
    current_run: str | None
    baseline: str | None  # the baseline run id, or the baseline log
    comparisons: list[RunComparison]
    regressions: list[str]
    status: Status
    reasons: list[str]
    threshold_pass_gap: float
    definitions: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------- SQL
def _flag_expr(d: Dialect, column: str, logical: str, role: str, text: tuple[str, ...]) -> str:
    """A boolean expression (NULL when the value is NULL) for a pass/fail or refusal column."""
    col = d.q(column)
    if logical == "boolean":
        return col
    if logical in NUMERIC:
        return f"(CASE WHEN {col} = 1 THEN TRUE WHEN {col} = 0 THEN FALSE END)"
    if logical == "string":
        low = f"lower(trim({col}))"
        yes = ", ".join(literal(t) for t in text[::2])
        no = ", ".join(literal(t) for t in text[1::2])
        return f"(CASE WHEN {low} IN ({yes}) THEN TRUE WHEN {low} IN ({no}) THEN FALSE END)"
    raise ColumnTypeError(column, role, logical, "boolean, 0/1 or text")


def _invalid_values_query(d: Dialect, rel: str, column: str, flag: str) -> str:
    """The first distinct non-null values that the flag expression cannot read."""
    col = d.q(column)
    return (
        f"SELECT v FROM (SELECT DISTINCT CAST({col} AS STRING) AS v FROM {rel} "
        f"WHERE {col} IS NOT NULL AND {flag} IS NULL) t ORDER BY v LIMIT {SHOWN_VALUES}"
    )


def _pass_expr(d: Dialect, spec: GenerativeSpec, types: dict[str, str]) -> str:
    if spec.outcome is not None:
        return _flag_expr(d, spec.outcome, types[spec.outcome], "outcome", PASS_TEXT)
    assert spec.score is not None and spec.pass_threshold is not None
    col = d.q(spec.score)
    value = f"CAST({col} AS DOUBLE)"
    # NaN compares greater than every number in both engines: it is no score, not a pass.
    nan = f" OR isnan({value})" if types[spec.score] == "float" else ""
    return (
        f"(CASE WHEN {col} IS NULL{nan} THEN NULL "
        f"ELSE {value} >= {literal(float(spec.pass_threshold))} END)"
    )


def _aggregate_query(
    d: Dialect,
    rel: str,
    spec: GenerativeSpec,
    types: dict[str, str],
    unreadable: list[tuple[str, str]],
    limit: int,
) -> str:
    """The one pass that counts everything: test cases, passes, refusal flags and refusals per
    (run,) category, group and category x group, plus for each (column, flag) of
    ``unreadable`` the rows whose non-null value the flag cannot read (``bad0``, ...).
    ``limit`` bounds the rows returned when a wrong column makes thousands of groups."""
    refusal = (
        _flag_expr(d, spec.refusal, types[spec.refusal], "refusal", REFUSAL_TEXT)
        if spec.refusal
        else "CAST(NULL AS BOOLEAN)"
    )
    inner = [
        f"CAST({d.q(spec.category)} AS STRING) AS c_",
        f"{_pass_expr(d, spec, types)} AS p_",
        f"{refusal} AS f_",
    ]
    keys = ["c_"]
    if spec.sensitive:
        inner.append(f"CAST({d.q(spec.sensitive)} AS STRING) AS g_")
        keys.append("g_")
    run = []
    if spec.run:
        inner.append(f"CAST({d.q(spec.run)} AS STRING) AS r_")
        run = ["r_"]
    inner += [
        f"CASE WHEN {d.q(c)} IS NOT NULL AND {flag} IS NULL THEN 1 ELSE 0 END AS b{i}_"
        for i, (c, flag) in enumerate(unreadable)
    ]
    sets = [["c_", "g_"], ["c_"], ["g_"], []] if spec.sensitive else [["c_"], []]
    grouping_sets = ", ".join("(" + ", ".join(run + s) + ")" for s in sets)
    flags = ", ".join(f"GROUPING({k}) AS grp_{k}" for k in keys)
    bad = "".join(f", sum(b{i}_) AS bad{i}" for i in range(len(unreadable)))
    return (
        f"SELECT {', '.join(run + keys)}, {flags}, count(*) AS n_rows, count(p_) AS n, "
        "sum(CASE WHEN p_ THEN 1 ELSE 0 END) AS k, count(f_) AS nf, "
        f"sum(CASE WHEN f_ THEN 1 ELSE 0 END) AS kf{bad} "
        f"FROM (SELECT {', '.join(inner)} FROM {rel}) t GROUP BY GROUPING SETS ({grouping_sets}) "
        f"LIMIT {int(limit)}"
    )


def _shape_query(
    d: Dialect, rel: str, spec: GenerativeSpec, unreadable: list[tuple[str, str]]
) -> str:
    """One pass: rows, rows with a category, distinct categories and groups, rows with a run
    id, and for each (column, flag) the rows whose non-null value the flag cannot read."""
    parts = [
        "count(*) AS n_rows",
        f"count({d.q(spec.category)}) AS n_cat",
        f"count(DISTINCT {d.q(spec.category)}) AS d_cat",
    ]
    if spec.sensitive:
        parts.append(f"count(DISTINCT {d.q(spec.sensitive)}) AS d_grp")
    if spec.run:
        parts.append(f"count({d.q(spec.run)}) AS n_run")
    parts += [
        f"sum(CASE WHEN {d.q(c)} IS NOT NULL AND {flag} IS NULL THEN 1 ELSE 0 END) AS bad{i}"
        for i, (c, flag) in enumerate(unreadable)
    ]
    return f"SELECT {', '.join(parts)} FROM {rel}"


# ---------------------------------------------------------------------------- reading a log
@dataclass
class _Counts:
    n_rows: int = 0
    n: int = 0
    k: int = 0
    nf: int = 0
    kf: int = 0


def _shown(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values[: SHOWN_VALUES - 1]) + (
        ", ..." if len(values) >= SHOWN_VALUES else ""
    )


def validate_columns(spec: GenerativeSpec, types: dict[str, str], prefix: str = "") -> None:
    """Every configured column is in the log (schema ``types``) with a type its role can read.
    ``prefix`` names the log in messages (e.g. "baseline ")."""
    require_columns(
        types,
        {
            f"{prefix}category": spec.category,
            f"{prefix}outcome": spec.outcome,
            f"{prefix}score": spec.score,
            f"{prefix}sensitive attribute": spec.sensitive,
            f"{prefix}refusal": spec.refusal,
            f"{prefix}run id": spec.run,
        },
    )
    if spec.score is not None and types[spec.score] not in NUMERIC:
        raise ColumnTypeError(spec.score, f"{prefix}score", types[spec.score], "numeric")
    if spec.outcome is not None:
        _flag_expr(DUCKDB, spec.outcome, types[spec.outcome], f"{prefix}outcome", PASS_TEXT)
    if spec.refusal is not None:
        _flag_expr(DUCKDB, spec.refusal, types[spec.refusal], f"{prefix}refusal", REFUSAL_TEXT)


Check = tuple[str, str, str, str]  # (role, column, flag expression, values expected)


def _validated_counts(
    log: Any, spec: GenerativeSpec, role: str = "log"
) -> dict[str | None, dict[Key, _Counts]]:
    """Check the log's columns and values, then count it: {run: {(category, group): counts}}.

    One pass over the log counts and validates at once; a second one runs only to name what is
    wrong (the unreadable values, or the column with too many distinct values)."""
    d, types = log.backend.dialect, log.types
    prefix = "" if role == "log" else f"{role} "
    validate_columns(spec, types, prefix)
    checks: list[Check] = []
    if spec.outcome is not None:
        flag = _flag_expr(d, spec.outcome, types[spec.outcome], "outcome", PASS_TEXT)
        checks.append(("outcome", spec.outcome, flag, "pass/fail, true/false or 0/1"))
    if spec.refusal is not None:
        flag = _flag_expr(d, spec.refusal, types[spec.refusal], "refusal", REFUSAL_TEXT)
        checks.append(("refusal", spec.refusal, flag, "true/false, yes/no or 0/1"))
    checks = [c for c in checks if types[c[1]] != "boolean"]
    unreadable = [(c[1], c[2]) for c in checks]
    # Every cell of two runs with max_groups categories and groups, with room to spare.
    cap = 4 * (spec.max_groups + 1) ** 2
    rows = log.query(_aggregate_query(d, log.rel, spec, types, unreadable, cap + 1))
    if len(rows) > cap:
        shape = log.query(_shape_query(d, log.rel, spec, unreadable))[0]
        _refuse(log, spec, checks, prefix, shape)
        raise ConfigurationError(
            f"{prefix}log has more than {cap} cells of runs, categories and groups; compare "
            "fewer runs at a time"
        )
    overall = [r for r in rows if _level(r, spec) == "overall"]
    n_rows = sum(int(r["n_rows"]) for r in overall)
    no_category = sum(
        int(r["n_rows"]) for r in rows if _level(r, spec) == "category" and r["c_"] is None
    )
    categories = {r["c_"] for r in rows if _level(r, spec) == "category"} - {None}
    groups = {r["g_"] for r in rows if _level(r, spec) == "group"} - {None}
    shape = {
        "n_rows": n_rows,
        "n_cat": n_rows - no_category,
        "d_cat": len(categories),
        "d_grp": len(groups),
        "n_run": sum(int(r["n_rows"]) for r in overall if r.get("r_") is not None),
        **{f"bad{i}": sum(int(r[f"bad{i}"] or 0) for r in overall) for i in range(len(checks))},
    }
    _refuse(log, spec, checks, prefix, shape)
    out: dict[str | None, dict[Key, _Counts]] = {}
    for r in rows:
        category = None if r["grp_c_"] else r["c_"]
        group = None if not spec.sensitive or r["grp_g_"] else r["g_"]
        cell = _Counts(
            int(r["n_rows"]), int(r["n"]), int(r["k"] or 0), int(r["nf"]), int(r["kf"] or 0)
        )
        out.setdefault(r.get("r_"), {})[(_level(r, spec), category, group)] = cell
    return out


def _refuse(
    log: Any, spec: GenerativeSpec, checks: list[Check], prefix: str, shape: dict[str, Any]
) -> None:
    """Raise the first problem that the shape of a log shows, in a message for its user."""
    d = log.backend.dialect
    for i, (what, column, flag, expected) in enumerate(checks):
        if not shape[f"bad{i}"]:
            continue
        # Only now read the values, to name them in the message.
        bad = [r["v"] for r in log.query(_invalid_values_query(d, log.rel, column, flag))]
        if bad:
            raise ConfigurationError(
                f"{prefix}{what} column {column!r} holds values other than {expected}; "
                f"values found: {_shown(bad)}"
            )
    n_rows = int(shape["n_rows"])
    if int(shape["n_cat"]) < n_rows:
        raise ConfigurationError(
            f"{prefix}category column {spec.category!r} is empty in "
            f"{n_rows - int(shape['n_cat'])} of {n_rows} rows; every test case needs a category"
        )
    grouped: list[tuple[str, str | None, str]] = [
        ("d_cat", spec.category, "category column"),
        ("d_grp", spec.sensitive, "sensitive attribute"),
    ]
    for key, grouping, what in grouped:
        if grouping is not None and int(shape[key]) > spec.max_groups:
            raise ConfigurationError(
                f"{prefix}{what} {grouping!r} has {int(shape[key])} distinct values, more than "
                f"--max-groups {spec.max_groups}; is it the right column?"
            )
    if spec.run is not None and int(shape["n_run"]) < n_rows:
        raise ConfigurationError(
            f"{prefix}run id column {spec.run!r} is empty in {n_rows - int(shape['n_run'])} of "
            f"{n_rows} rows"
        )


def _level(row: dict[str, Any], spec: GenerativeSpec) -> str:
    by_category = not row["grp_c_"]
    by_group = bool(spec.sensitive) and not row["grp_g_"]
    if by_category and by_group:
        return "category_group"
    return "category" if by_category else "group" if by_group else "overall"


# ---------------------------------------------------------------------------- figures
def _cell(
    level: str, category: str | None, group: str | None, c: _Counts, spec: GenerativeSpec
) -> EvalCell:
    cell = EvalCell(
        level=level,
        category=category,
        group=group,
        n_rows=c.n_rows,
        n=c.n,
        n_excluded=c.n_rows - c.n,
        passed=c.k,
        pass_rate=c.k / c.n if c.n else None,
        pass_interval=wilson_interval(c.k, c.n, spec.confidence),
        judged=c.n >= max(spec.min_group_size, 1),
    )
    if spec.refusal is not None and level != "category_group":
        cell.n_refusal, cell.refused = c.nf, c.kf
        cell.refusal_rate = c.kf / c.nf if c.nf else None
        cell.refusal_interval = wilson_interval(c.kf, c.nf, spec.confidence)
    return cell


def _sort_key(cell: EvalCell) -> tuple[Any, ...]:
    return (cell.category or "", cell.group is None, cell.group or "")


def _gap(scope: str, groups: list[EvalCell], spec: GenerativeSpec) -> GroupGap:
    judged = [g for g in groups if g.judged and g.pass_rate is not None]
    if len(judged) < 2:
        return GroupGap(
            scope, len(groups), len(judged), None, None, None, None, None, None, "not_judged",
            [f"fewer than two groups with at least {spec.min_group_size} test cases"],
        )  # fmt: skip
    high = max(judged, key=lambda g: (g.pass_rate, g.n))
    low = min(judged, key=lambda g: (g.pass_rate, -g.n))
    assert high.pass_rate is not None and low.pass_rate is not None
    assert high.pass_interval is not None and low.pass_interval is not None
    gap = high.pass_rate - low.pass_rate
    overlap = low.pass_interval.high >= high.pass_interval.low
    limit = spec.thresholds.generative_pass_gap
    status: Status = "ok"
    reasons = []
    if gap > limit and not overlap:
        status = "warning"
        reasons.append(
            f"{scope}: pass rate {low.pass_rate:.3f} for {spec.sensitive}={low.group} against "
            f"{high.pass_rate:.3f} for {spec.sensitive}={high.group} (gap {gap:.3f} > {limit}, "
            "intervals apart)"
        )
    return GroupGap(
        scope=scope,
        n_groups=len(groups),
        n_groups_judged=len(judged),
        highest_group=high.group,
        highest_rate=high.pass_rate,
        lowest_group=low.group,
        lowest_rate=low.pass_rate,
        gap=gap,
        intervals_overlap=overlap,
        status=status,
        reasons=reasons,
    )


def newcombe_interval(
    current: tuple[int, int], baseline: tuple[int, int], confidence: float
) -> Interval | None:
    """Newcombe's hybrid score interval for p_current - p_baseline from two Wilson intervals."""
    (k1, n1), (k2, n2) = current, baseline
    w1, w2 = wilson_interval(k1, n1, confidence), wilson_interval(k2, n2, confidence)
    if w1 is None or w2 is None:
        return None
    p1, p2 = k1 / n1, k2 / n2
    low = p1 - p2 - math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2)
    high = p1 - p2 + math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2)
    return Interval(low, high)


def _compare(
    category: str | None, base: _Counts, cur: _Counts, spec: GenerativeSpec
) -> RunComparison:
    bi = wilson_interval(base.k, base.n, spec.confidence)
    ci = wilson_interval(cur.k, cur.n, spec.confidence)
    floor = max(spec.min_group_size, 1)
    judged = base.n >= floor and cur.n >= floor
    assert not judged or (bi is not None and ci is not None)
    out = RunComparison(
        category=category,
        baseline_n=base.n,
        baseline_passed=base.k,
        baseline_rate=base.k / base.n if base.n else None,
        baseline_interval=bi,
        current_n=cur.n,
        current_passed=cur.k,
        current_rate=cur.k / cur.n if cur.n else None,
        current_interval=ci,
        change=cur.k / cur.n - base.k / base.n if base.n and cur.n else None,
        change_interval=newcombe_interval((cur.k, cur.n), (base.k, base.n), spec.confidence),
        judged=judged,
        regression=bool(judged and ci and bi and ci.high < bi.low),
        improvement=bool(judged and ci and bi and ci.low > bi.high),
    )
    if spec.refusal is not None:
        out.baseline_refusal_rate = base.kf / base.nf if base.nf else None
        out.current_refusal_rate = cur.kf / cur.nf if cur.nf else None
    return out


def build_generative(
    current: dict[Key, _Counts],
    spec: GenerativeSpec,
    baseline: dict[Key, _Counts] | None = None,
    current_run: str | None = None,
    baseline_name: str | None = None,
) -> GenerativeResult:
    """The figures of one run's counts, compared with a baseline run's when there is one."""
    cells = [_cell(level, c, g, counts, spec) for (level, c, g), counts in current.items()]
    overall = next(c for c in cells if c.level == "overall")
    by_level = {
        lv: sorted((c for c in cells if c.level == lv), key=_sort_key)
        for lv in ("category", "group", "category_group")
    }
    gaps: list[GroupGap] = []
    if spec.sensitive:
        gaps.append(_gap("all categories", by_level["group"], spec))
        for scope in by_level["category"]:
            members = [c for c in by_level["category_group"] if c.category == scope.category]
            gaps.append(_gap(f"category {scope.category}", members, spec))
    measured = [g for g in gaps if g.gap is not None]
    largest = max(measured, key=lambda g: g.gap or 0.0) if measured else None
    comparisons: list[RunComparison] = []
    if baseline is not None:
        empty = _Counts()
        cats = sorted(
            {k[1] for k in (*current, *baseline) if k[0] == "category" and k[1] is not None}
        )
        for cat in (None, *cats):
            key: Key = ("overall", None, None) if cat is None else ("category", cat, None)
            comparisons.append(
                _compare(cat, baseline.get(key, empty), current.get(key, empty), spec)
            )
    regressions = [c.category or "all categories" for c in comparisons if c.regression]
    reasons = [r for g in gaps for r in g.reasons]
    for c in comparisons:
        if c.regression:
            reasons.append(
                f"pass rate of {c.category or 'all categories'} regressed from "
                f"{c.baseline_rate:.3f} to {c.current_rate:.3f} (intervals apart)"
            )
    status: Status = "alert" if regressions else worst([g.status for g in gaps])
    return GenerativeResult(
        category_column=spec.category,
        group_column=spec.sensitive,
        pass_rule=(
            f"{spec.outcome} is pass (true, 1)"
            if spec.outcome
            else f"{spec.score} >= {spec.pass_threshold:g}"
        ),
        refusal_column=spec.refusal,
        confidence=spec.confidence,
        interval_method=f"Wilson score, {spec.confidence:.0%} two-sided",
        min_group_size=spec.min_group_size,
        overall=overall,
        by_category=by_level["category"],
        by_group=by_level["group"],
        by_category_group=by_level["category_group"],
        group_gaps=gaps,
        largest_group_gap=largest,
        current_run=current_run,
        baseline=baseline_name,
        comparisons=comparisons,
        regressions=regressions,
        status=status,
        reasons=reasons,
        threshold_pass_gap=spec.thresholds.generative_pass_gap,
        definitions=dict(DEFINITIONS),
    )


def _choose_runs(runs: list[str], spec: GenerativeSpec) -> tuple[str, str | None, list[str]]:
    """(current run, baseline run or None, runs ignored) among the run ids of a log."""
    found = f"runs found: {_shown(runs)}"
    for chosen in (spec.baseline_run, spec.current_run):
        if chosen is not None and chosen not in runs:
            raise ConfigurationError(f"run {chosen!r} is not in the run id column; {found}")
    if spec.baseline_run and spec.current_run:
        base, cur = spec.baseline_run, spec.current_run
    elif len(runs) == 1:
        if spec.baseline_run:
            raise ConfigurationError(f"only one run in the log, nothing to compare; {found}")
        return runs[0], None, []
    elif len(runs) == 2:
        base = spec.baseline_run or next(r for r in runs if r != spec.current_run)
        cur = spec.current_run or next(r for r in runs if r != base)
    else:
        raise ConfigurationError(
            f"the run id column {spec.run!r} holds {len(runs)} runs; choose two with "
            f"--baseline-run and --current-run; {found}"
        )
    return cur, base, [r for r in runs if r not in (base, cur)]


def _small_cells_headline(result: GenerativeResult, shown: int = 8) -> list[str]:
    small = [c for c in (*result.by_group, *result.by_category_group) if not c.judged]
    if not small:
        return []
    names = ", ".join(f"{c.label(result.group_column)} ({c.n})" for c in small[:shown])
    more = f" and {len(small) - shown} more" if len(small) > shown else ""
    return [
        f"{len(small)} group(s) with fewer than --min-group-size {result.min_group_size} test "
        f"cases are shown but not judged: {names}{more}"
    ]


def assess_generative(
    log: str | Path | LogSource,
    spec: GenerativeSpec,
    baseline: str | Path | LogSource | None = None,
    *,
    backend: Backend | str = "duckdb",
    progress: Progress | None = None,
) -> AssuranceReport:
    """Pass and refusal rates of an evaluation log, compared with a baseline (a second log, or
    a second run in the log's run id column) when there is one."""

    if baseline is not None and spec.run is not None:
        raise ConfigurationError(
            "compare two runs either with a baseline log or with a run id column, not both"
        )
    tell = progress or (lambda _: None)
    be = get_backend(backend) if isinstance(backend, str) else backend
    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        tell("reading schema and checking values")
        current_log = Log(be, log)
        tell("pass and refusal rates")
        by_run = _validated_counts(current_log, spec)
        timings["generative"] = round(time.perf_counter() - t0, 6)
        headline: list[str] = []
        n_rows = sum(c[("overall", None, None)].n_rows for c in by_run.values())
        base_counts = None
        base_name = cur_name = None
        reference = None
        if spec.run is not None:
            runs = sorted(r for r in by_run if r is not None)
            cur_name, base_name, ignored = _choose_runs(runs, spec)
            if base_name is not None:
                base_counts = by_run[base_name]
                headline.append(
                    f"Run {cur_name!r} compared with baseline run {base_name!r} "
                    f"(run id column {spec.run!r})"
                )
            if ignored:
                headline.append(f"{len(ignored)} other run(s) ignored: {_shown(ignored)}")
            current = by_run[cur_name]
        else:
            current = by_run[None]
        if baseline is not None:
            t0 = time.perf_counter()
            tell("baseline")
            base_log = Log(be, baseline)
            reference = base_log.source.uri
            base_counts = _validated_counts(base_log, spec, role="baseline")[None]
            base_name = reference
            headline.append(f"Compared with the baseline log {reference}")
            timings["baseline"] = round(time.perf_counter() - t0, 6)
        result = build_generative(current, spec, base_counts, cur_name, base_name)
        headline.extend(_small_cells_headline(result))
        if result.regressions:
            headline.insert(0, "Pass rate regressed: " + ", ".join(result.regressions))
        report = AssuranceReport(
            log=current_log.source.uri,
            reference=reference,
            backend=be.name,
            n_rows=n_rows,
            spec=spec.to_dict(),
        )
        report.generative = result
        report.status = result.status
        report.headline = headline
        report.timings = timings
        report.generated_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        report.versions = package_versions(be.name)
        return report
    finally:
        if isinstance(backend, str):
            be.close()
