"""Orchestration: one call computes every piece of evidence with as few passes as possible.

Passes over the current log (DuckDB reads only the needed columns of each):
1. main aggregate: confusion counts / regression sums / attributions for every CUBE group;
2. score aggregates for ROC AUC and calibration (classification with a score);
3. column statistics (missing, min/max, out of range) and category counts (data quality);
4. drift: exact mode reads each numeric column once; profile mode all of them in one pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np

from aimwell.data_drift import measures as drift_mod
from aimwell.data_drift import profile as prof_mod
from aimwell.data_drift.results import DriftResult, FeatureDrift

from . import guards
from .backends import Backend, Log, get_backend
from .config import ColumnSpec
from .errors import ColumnTypeError, ConfigurationError
from .explain import attribution_columns, build_explain
from .fairness import RawGroup, build_fairness
from .io import NUMERIC, LogSource, check_not_empty, require_columns, require_type
from .performance import ScoreAggregates, classification, multiclass, regression
from .quality import build_quality, ranges_from_stats
from .rankauc import rank_sums
from .results import (
    AssuranceReport,
    ClassificationPerformance,
    ConfusionCounts,
    FairnessResult,
    QualityResult,
    package_versions,
    worst,
)
from .sqlgen import (
    auc_query,
    calibration_query,
    category_counts_query,
    column_stats_query,
    main_aggregate,
    nan_stats_query,
    out_of_range_query,
    sorted_scores_query,
)
from .stats import calibration_edges

Progress = Callable[[str], None]
DriftMode = Literal["exact", "profile"]


def _noop(_: str) -> None:
    pass


def validate(spec: ColumnSpec, types: dict[str, str]) -> None:
    """Check that every configured column exists and has a usable type."""
    roles: dict[str, str | None] = {
        "label": spec.label,
        "prediction": spec.prediction,
        "score": spec.score,
    }
    roles.update({f"sensitive attribute #{i + 1}": s for i, s in enumerate(spec.sensitive)})
    roles.update({f"feature #{i + 1}": f for i, f in enumerate(spec.features)})
    require_columns(types, roles)
    usable_label = (*NUMERIC, "boolean", "string")
    if spec.score is not None:
        require_type(types, spec.score, "score", NUMERIC)
    if spec.task == "regression":
        for role in ("label", "prediction"):
            col = roles[role]
            if col is not None:
                require_type(types, col, role, NUMERIC)
    else:
        for role in ("label", "prediction"):
            col = roles[role]
            if col is not None:
                require_type(types, col, role, usable_label)
    if spec.task == "classification" and spec.sensitive and not spec.has_outcome:
        raise ConfigurationError(
            "fairness needs a label and a prediction (or a score to threshold)"
        )


def default_features(spec: ColumnSpec, types: dict[str, str]) -> list[str]:
    """All columns that play no other role (and are not attributions)."""
    taken = {spec.label, spec.prediction, *spec.sensitive}
    return [
        c
        for c, t in types.items()
        if c not in taken
        and c != spec.score
        and not (spec.attribution_prefix and c.startswith(spec.attribution_prefix))
        and t in (*NUMERIC, "boolean", "string")
    ]


def _key(row: dict[str, Any], sens: Sequence[str]) -> tuple[tuple[str, ...], dict[str, Any]]:
    attrs = tuple(a for i, a in enumerate(sens) if not row[f"g{i}"])
    key = {a: row[f"k{i}"] for i, a in enumerate(sens) if not row[f"g{i}"]}
    return attrs, key


def _fold(
    rows: list[dict[str, Any]], sens: Sequence[str], n_attr: int
) -> list[tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]]:
    """Fold the (group, y, yhat) cells of the main aggregate into one row per group."""
    groups: dict[tuple[Any, ...], tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]] = {}
    for r in rows:
        attrs, key = _key(r, sens)
        ident = (attrs, tuple((v is None, str(v)) for v in key.values()))
        if ident not in groups:
            acc: dict[str, Any] = {k: v for k, v in r.items() if k.startswith("reg_")}
            acc.update(n_rows=0, n_excluded=_int(r.get("n_excluded")), tp=0, fp=0, tn=0, fn=0)
            acc.update({f"an{i}": 0 for i in range(n_attr)})
            acc.update({f"as{i}": 0.0 for i in range(n_attr)})
            groups[ident] = (attrs, key, acc)
        acc = groups[ident][2]
        n = int(r["n_rows"])
        acc["n_rows"] += n
        if "y_" in r:
            y, yh = r["y_"], r["yh_"]
            if y is None or yh is None:
                acc["n_excluded"] += n
            else:
                acc[("tp" if yh else "fn") if y else ("fp" if yh else "tn")] += n
        for i in range(n_attr):
            acc[f"an{i}"] += _int(r[f"an{i}"])
            acc[f"as{i}"] += float(r[f"as{i}"] or 0.0)
    out = list(groups.values())
    for _, _, acc in out:
        for i in range(n_attr):
            acc[f"am{i}"] = acc[f"as{i}"] / acc[f"an{i}"] if acc[f"an{i}"] else None
    return out


def column_stats(log: Log, ranges: dict[str, tuple[Any, Any]] | None = None) -> dict[str, Any]:
    """Missing values, min/max and out-of-range counts of every column, as few scans as
    possible: metadata-only aggregates first, then value scans only for float columns that
    hold NaN and for columns whose min/max leave the reference range."""
    d = log.backend.dialect
    cols = list(log.types)
    stats = log.query(column_stats_query(d, log.rel, log.types, cols))[0]
    n = int(stats["n_rows"])
    for i, _ in enumerate(cols):
        stats[f"m{i}"] = n - int(stats[f"c{i}"])
    with_nan = {
        i: c
        for i, c in enumerate(cols)
        if log.types[c] == "float" and stats[f"hi{i}"] is not None and math.isnan(stats[f"hi{i}"])
    }
    if with_nan:
        extra = log.query(nan_stats_query(d, log.rel, with_nan))[0]
        for i in with_nan:
            stats[f"m{i}"] += int(extra[f"nan{i}"])
            stats[f"lo{i}"], stats[f"hi{i}"] = extra[f"lo{i}"], extra[f"hi{i}"]
    if ranges:
        to_count: dict[int, tuple[str, tuple[Any, Any]]] = {}
        for i, c in enumerate(cols):
            if c not in ranges or log.types[c] not in NUMERIC:
                continue
            stats[f"oor{i}"] = 0
            lo, hi = stats.get(f"lo{i}"), stats.get(f"hi{i}")
            rlo, rhi = ranges[c]
            if lo is not None and (lo < rlo or hi > rhi):
                to_count[i] = (c, ranges[c])
        if to_count:
            stats.update(log.query(out_of_range_query(d, log.rel, to_count))[0])
    return stats


def _int(v: Any) -> int:
    return 0 if v is None else int(v)


def _categorical_counts(log: Log, columns: Sequence[str]) -> dict[str, tuple[dict[Any, int], int]]:
    """{column: ({value: count}, n_missing)} in one pass."""
    if not columns:
        return {}
    out: dict[str, tuple[dict[Any, int], int]] = {c: ({}, 0) for c in columns}
    for row in log.query(category_counts_query(log.backend.dialect, log.rel, columns)):
        for i, c in enumerate(columns):
            if not row[f"g{i}"]:
                counts, miss = out[c]
                v = row[f"k{i}"]
                if v is None:
                    out[c] = (counts, miss + int(row["n"]))
                else:
                    counts[v] = int(row["n"])
    return out


def _split_kinds(
    cols: Sequence[str], types: dict[str, str], categorical: Sequence[str]
) -> tuple[list[str], list[str]]:
    numeric = [c for c in cols if types[c] in NUMERIC and c not in categorical]
    return numeric, [c for c in cols if c not in numeric]


def build_profile(
    reference: str | Path | LogSource,
    columns: Sequence[str],
    backend: Backend | str = "duckdb",
    categorical: Sequence[str] = (),
    psi_bins: int = 10,
    fine_bins: int = prof_mod.DEFAULT_FINE_BINS,
) -> prof_mod.ReferenceProfile:
    """Summarise a reference log once per model version (store it with ``to_json``)."""
    be = get_backend(backend) if isinstance(backend, str) else backend
    try:
        log = Log(be, reference)
        require_columns(log.types, {f"profile column #{i + 1}": c for i, c in enumerate(columns)})
        stats = column_stats(log)
        check_not_empty(int(stats["n_rows"]), log.source)
        numeric, cats = _split_kinds(columns, log.types, categorical)
        profiles: dict[str, prof_mod.ColumnProfile] = {}
        for c, arr in zip(numeric, be.numeric_columns(log.source, numeric), strict=True):
            vals = np.sort(arr[~np.isnan(arr)])
            profiles[c] = prof_mod.numeric_profile(
                c, log.types[c], vals, int(arr.size - vals.size), psi_bins, fine_bins
            )
        for c, (counts, miss) in _categorical_counts(log, cats).items():
            profiles[c] = prof_mod.categorical_profile(c, log.types[c], counts, miss)
        ranges = ranges_from_stats(log.types, stats)
        return prof_mod.ReferenceProfile(
            columns={c: profiles[c] for c in columns},
            n_rows=int(stats["n_rows"]),
            source=log.source.uri,
            fine_bins=fine_bins,
            schema=dict(log.types),
            ranges={k: list(v) for k, v in ranges.items()},
        )
    finally:
        if isinstance(backend, str):
            be.close()


class Assessor:
    """Runs the assessment of one log; see ``assess`` for the parameters."""

    def __init__(
        self,
        backend: Backend,
        spec: ColumnSpec,
        progress: Progress = _noop,
        include_quality: bool = True,
    ) -> None:
        self.be = backend
        self.spec = spec
        self.progress = progress
        self.include_quality = include_quality
        self._pool = ThreadPoolExecutor(max_workers=2)
        self.timings: dict[str, float] = {}

    def _timed(self, name: str, t0: float) -> None:
        self.timings[name] = round(time.perf_counter() - t0, 6)

    def _start(self, label: str) -> float:
        """Announce the stage that starts now (for the progress display); its start time."""
        self.progress(label)
        return time.perf_counter()

    def run(
        self,
        log_location: str | Path | LogSource,
        reference: str | Path | LogSource | None = None,
        profile: prof_mod.ReferenceProfile | None = None,
        drift_mode: DriftMode = "exact",
    ) -> AssuranceReport:
        spec = self.spec
        if reference is not None or profile is not None:
            # Drift's KS p-value needs scipy.stats, whose import costs about a second of CPU
            # (hundreds of modules): start it now on a thread so that it overlaps with the
            # scans (DuckDB releases the GIL) instead of stalling the drift stage.
            threading.Thread(target=_import_scipy_stats, daemon=True).start()
        t0 = self._start("reading schema and checking labels")
        log = Log(self.be, log_location)
        validate(spec, log.types)
        attrs = attribution_columns(log.types, spec.attribution_prefix, NUMERIC)
        facts = guards.check(log.query, self.be.dialect, log.rel, spec, log.types)
        self._timed("schema", t0)

        t0 = self._start("performance and fairness")
        # A multiclass outcome has no positive class: the main pass only counts rows (and
        # attributions); its metrics come from the class counts of the guards' pass.
        main_spec = dataclasses.replace(spec, label=None) if facts.multiclass else spec
        rows = log.query(main_aggregate(self.be.dialect, log.rel, main_spec, log.types, attrs))
        keyed = _fold(rows, spec.sensitive, len(attrs))
        group_counts: dict[str, int] = {}
        for a, k, _ in keyed:
            if len(a) == 1 and k[a[0]] is not None:
                group_counts[a[0]] = group_counts.get(a[0], 0) + 1
        guards.check_group_counts(spec, log.types, group_counts)
        overall = next(r for a, _, r in keyed if not a)
        n_rows = int(overall["n_rows"])
        check_not_empty(n_rows, log.source)
        report = AssuranceReport(
            log=log.source.uri,
            reference=None,
            backend=self.be.name,
            n_rows=n_rows,
            spec=spec.to_dict(),
        )
        if facts.multiclass:
            report.performance = multiclass(facts.cells, facts.n_excluded)
            report.headline.append(
                f"Multiclass label ({len(facts.classes)} classes): per-class one-vs-rest and "
                "macro-averaged metrics"
                + (
                    "; ROC AUC and calibration not computed (one score column)"
                    if spec.score
                    else ""
                )
            )
        elif spec.has_outcome and spec.task == "classification":
            raws = [
                RawGroup(
                    a, k, int(r["n_rows"]), _int(r["n_excluded"]),
                    ConfusionCounts(_int(r["tp"]), _int(r["fp"]), _int(r["tn"]), _int(r["fn"])),
                )
                for a, k, r in keyed
            ]  # fmt: skip
            if spec.sensitive:
                report.fairness = self.fairness(raws)
            overall_raw = next(r for r in raws if not r.attributes)
            report.performance = classification(
                overall_raw.counts, overall_raw.n_excluded, None, []
            )
        elif spec.has_outcome:
            if spec.sensitive:
                from .regression import build_regression_fairness

                report.regression_fairness = build_regression_fairness(
                    keyed, spec.sensitive, spec.min_group_size, spec.confidence, spec.thresholds
                )
            report.performance = regression(
                _int(overall["reg_n"]),
                _int(overall["n_excluded"]),
                float(overall["reg_abs"] or 0.0),
                float(overall["reg_sq"] or 0.0),
                None if overall["reg_var"] is None else float(overall["reg_var"]),
            )
        if attrs:
            report.explain = build_explain(spec.attribution_prefix, attrs, keyed)
        self._timed("performance_fairness", t0)

        if (
            spec.task == "classification"
            and spec.label
            and spec.score
            and isinstance(report.performance, ClassificationPerformance)
        ):
            t0 = self._start("ROC AUC and calibration")
            edges = calibration_edges(spec.calibration_bins)
            scores = self.score_aggregates(log, edges)
            perf = report.performance
            assert isinstance(perf, ClassificationPerformance)
            report.performance = classification(perf.confusion, perf.n_excluded, scores, edges)
            self._timed("roc_auc_calibration", t0)

        if reference is not None or profile is not None:
            report.quality, report.drift = self.compare(log, reference, profile, drift_mode, report)
        elif self.include_quality:
            t0 = self._start("data quality")
            stats = column_stats(log)
            report.quality = build_quality(log.types, stats, spec.thresholds)
            self._timed("quality", t0)
        judged_parts = (report.fairness, report.regression_fairness, report.drift, report.quality)
        report.status = worst([x.status for x in judged_parts if x is not None])
        if report.fairness is not None:
            report.headline.extend(excluded_groups_headline(report.fairness))
        report.timings = dict(self.timings)
        report.generated_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        report.versions = package_versions(self.be.name)
        return report

    def close(self) -> None:
        self._pool.shutdown(wait=False)

    def fairness(self, raws: list[RawGroup]) -> FairnessResult:
        s = self.spec
        return build_fairness(raws, s.sensitive, s.min_group_size, s.confidence, s.thresholds)

    def score_aggregates(self, log: Log, edges: list[float]) -> ScoreAggregates:
        d = self.be.dialect
        batches = self.be.sorted_score_batches(
            sorted_scores_query(d, log.rel, self.spec, log.types), log.source
        )
        if batches is not None:
            sums = rank_sums(batches)
            auc = {"n_pos": sums.n_pos, "n_neg": sums.n_neg, "twice_u": sums.twice_u}
        else:
            auc = log.query(auc_query(d, log.rel, self.spec, log.types))[0]
        bins = log.query(calibration_query(d, log.rel, self.spec, log.types, edges))
        per_bin = {int(r["bin_"]): r for r in bins}
        n_bins = len(edges) - 1
        agg = ScoreAggregates(
            n_scored=_int(auc["n_pos"]) + _int(auc["n_neg"]),
            n_pos=_int(auc["n_pos"]),
            twice_u=_int(auc["twice_u"]),
            sum_sq_error=float(sum(float(r["sq"]) for r in bins)),
            bins=[
                (
                    _int(per_bin[i]["n"]) if i in per_bin else 0,
                    float(per_bin[i]["s"]) if i in per_bin else 0.0,
                    _int(per_bin[i]["pos"]) if i in per_bin else 0,
                )
                for i in range(n_bins)
            ],
        )
        return agg

    # ------------------------------------------------------------------ reference
    def compare(
        self,
        log: Log,
        reference: str | Path | LogSource | None,
        profile: prof_mod.ReferenceProfile | None,
        mode: DriftMode,
        report: AssuranceReport,
    ) -> tuple[QualityResult, DriftResult]:
        spec = self.spec
        t0 = self._start("data quality against the reference")
        ref: Log | None = None
        if reference is not None:
            ref = Log(self.be, reference)
            report.reference = ref.source.uri
        elif profile is not None:
            report.reference = f"profile of {profile.source}"
        features = list(spec.features) or default_features(spec, log.types)
        drift_cols = list(features)
        if spec.score is not None and spec.score not in drift_cols:
            drift_cols.append(spec.score)
        if ref is not None:
            ref_types = ref.types
            require_columns(ref_types, {f"reference {c}": c for c in drift_cols})
            ref_stats = column_stats(ref)
            check_not_empty(int(ref_stats["n_rows"]), ref.source)
            ranges = ranges_from_stats(ref_types, ref_stats)
        else:
            assert profile is not None
            ref_types = dict(profile.schema)
            ranges = {k: (v[0], v[1]) for k, v in profile.ranges.items()}
            missing = [c for c in drift_cols if c not in profile.columns]
            if missing:
                raise ConfigurationError(
                    f"the reference profile has no column {missing[0]!r}; profiled: "
                    + ", ".join(profile.columns)
                )
        for c in drift_cols:
            if c in ref_types and c in log.types:
                cur_num = log.types[c] in NUMERIC
                ref_num = ref_types[c] in NUMERIC
                if cur_num != ref_num:
                    raise ColumnTypeError(c, "feature", log.types[c], ref_types[c])
        shared_ranges = {c: r for c, r in ranges.items() if c in log.types}
        stats = column_stats(log, shared_ranges)
        numeric, cats = _split_kinds(drift_cols, log.types, spec.categorical)
        cat_quality = [c for c in dict.fromkeys([*cats, *spec.sensitive]) if c in ref_types]
        cur_cats = _categorical_counts(log, cat_quality)
        if ref is not None:
            ref_cats = _categorical_counts(ref, cat_quality)
        else:
            assert profile is not None
            ref_cats = {
                c: (dict(profile.columns[c].categories), profile.columns[c].n_missing)
                for c in cat_quality
                if c in profile.columns and profile.columns[c].kind == "categorical"
            }
        new_cats = {
            c: sorted((v for v in cur_cats[c][0] if v not in ref_cats[c][0]), key=str)
            for c in cat_quality
            if c in ref_cats
        }
        quality = build_quality(
            log.types, stats, spec.thresholds, ref_types, shared_ranges, new_cats
        )
        self._timed("quality", t0)

        t0 = self._start("drift")
        th = spec.thresholds
        feats: dict[str, FeatureDrift] = {}
        if mode == "profile" or profile is not None:
            if profile is None:
                assert ref is not None
                report.headline.append(
                    "Drift profile built from the reference log in this run (as slow as exact "
                    "mode): build it once with `aimwell assurance profile` and pass --profile"
                )
                profile = build_profile(
                    ref.source, numeric + cats, self.be, spec.categorical, spec.psi_bins
                )
            accs = {c: prof_mod.WindowAccumulator(profile.columns[c]) for c in numeric}
            if accs:
                self.be.accumulate_window(log.source, accs)
            for c in numeric:
                feats[c] = prof_mod.compare_numeric(accs[c], th)
            for c in cats:
                counts, miss = cur_cats.get(c) or _categorical_counts(log, [c])[c]
                feats[c] = prof_mod.compare_categorical(profile.columns[c], counts, miss, th)
            mode_used: DriftMode = "profile"
        else:
            assert ref is not None
            ref_src, cur_src = ref.source, log.source

            def exact(c: str, r: np.ndarray, x: np.ndarray) -> FeatureDrift:
                rs, xs = np.sort(r[~np.isnan(r)]), np.sort(x[~np.isnan(x)])
                return drift_mod.numeric_exact(
                    c, rs, xs, r.size - rs.size, x.size - xs.size, spec.psi_bins, th
                )

            def one(c: str) -> FeatureDrift:
                (r,) = self.be.numeric_columns(ref_src, [c])
                (x,) = self.be.numeric_columns(cur_src, [c])
                return exact(c, r, x)

            if self.be.exact_columns_per_query == 1:
                # One feature per thread: reading, sorting (NumPy releases the GIL) and the
                # statistics of two features overlap; memory holds two features at a time.
                for f in self._pool.map(one, numeric):
                    feats[f.column] = f
            else:
                refs = self.be.numeric_columns(ref_src, numeric)
                curs = self.be.numeric_columns(cur_src, numeric)
                for c, r, x in zip(numeric, refs, curs, strict=True):
                    feats[c] = exact(c, r, x)
                del refs, curs
            for c in cats:
                (rc, rm), (cc, cm) = ref_cats[c], cur_cats[c]
                feats[c] = drift_mod.categorical(c, rc, cc, rm, cm, "exact", th)
            mode_used = "exact"
        ordered = [feats[c] for c in drift_cols]
        result = DriftResult(
            mode=mode_used, features=ordered, status=worst([f.status for f in ordered])
        )
        self._timed("drift", t0)
        return quality, result


def _import_scipy_stats() -> None:
    importlib.import_module("scipy.stats")


def excluded_groups_headline(fairness: FairnessResult, shown: int = 8) -> list[str]:
    """The groups left out of the fairness judgement, for the top of the report."""
    small = [g for g in fairness.groups if not g.judged]
    if not small:
        return []
    names = ", ".join(f"{g.label} ({g.counts.n} rows)" for g in small[:shown])
    more = f" and {len(small) - shown} more" if len(small) > shown else ""
    return [
        f"{len(small)} group(s) below --min-group-size {fairness.min_group_size} excluded from "
        f"the fairness judgement: {names}{more}"
    ]


def assess(
    log: str | Path | LogSource,
    spec: ColumnSpec,
    reference: str | Path | LogSource | None = None,
    *,
    backend: Backend | str = "duckdb",
    drift_mode: DriftMode = "exact",
    profile: prof_mod.ReferenceProfile | None = None,
    progress: Progress = _noop,
    include_quality: bool = True,
) -> AssuranceReport:
    """Compute performance, fairness, data quality, drift and explainability evidence.

    ``reference`` (a log) or ``profile`` (a stored ``ReferenceProfile``) enables drift and
    the schema/range/category checks. ``backend`` is "duckdb" (default), "spark", or a
    backend instance (which the caller keeps and closes). ``include_quality=False`` skips
    the column-statistics pass when there is no reference (e.g. a fairness-only job).
    """
    if drift_mode not in ("exact", "profile"):
        raise ConfigurationError("drift_mode must be exact or profile")
    if drift_mode == "exact" and profile is not None and reference is None:
        drift_mode = "profile"
    be = get_backend(backend) if isinstance(backend, str) else backend
    assessor = Assessor(be, spec, progress, include_quality)
    try:
        return assessor.run(log, reference, profile, drift_mode)
    finally:
        assessor.close()
        if isinstance(backend, str):
            be.close()
