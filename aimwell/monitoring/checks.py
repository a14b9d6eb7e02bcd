"""Calling the assurance engine for a monitor: the column spec and thresholds, validation of a log
before any run exists, the figures kept for trends, and the breaches found in a result.

This module holds no database writes; `services` records what it returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aimwell.assurance import AssuranceError, ColumnSpec, ConfigurationError, Thresholds, assess
from aimwell.assurance.backends import get_backend
from aimwell.assurance.engine import validate
from aimwell.assurance.io import check_not_empty, logical_type, resolve
from aimwell.core.errors import DomainError
from aimwell.generative_evaluation.evaluation import assess_generative, validate_columns
from aimwell.generative_evaluation.spec import GenerativeSpec

ENGINE_THRESHOLDS = {f.name for f in dataclasses.fields(Thresholds)}
# Monitor-level thresholds on performance (the engine judges fairness, drift and quality only).
PERFORMANCE_THRESHOLDS = {"min_accuracy": "accuracy", "min_roc_auc": "roc_auc", "min_f1": "f1"}
THRESHOLD_KEYS = ENGINE_THRESHOLDS | set(PERFORMANCE_THRESHOLDS)
STEPS = ("schema", "performance_fairness", "roc_auc_calibration", "quality", "drift")
GENERATIVE = "generative"


class MonitorConfigError(DomainError):
    """A monitor's configuration cannot be used; the message is for the user."""


def default_thresholds() -> dict[str, float]:
    return Thresholds().to_dict()


def check_thresholds(values: dict[str, Any]) -> dict[str, float]:
    unknown = set(values) - THRESHOLD_KEYS
    if unknown:
        known = ", ".join(sorted(THRESHOLD_KEYS))
        raise MonitorConfigError(f"Unknown thresholds {sorted(unknown)}; known: {known}.")
    out: dict[str, float] = {}
    for key, value in values.items():
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise MonitorConfigError(f"Threshold {key} must be a number.") from exc
        if number < 0:
            raise MonitorConfigError(f"Threshold {key} cannot be negative.")
        out[key] = number
    return out


def _pos_label(text: str) -> Any:
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        return text


def generative_spec_for(monitor: Any) -> GenerativeSpec:
    """The engine's spec of an evaluation log (a monitor of the generative task)."""
    engine_thresholds = {
        k: v for k, v in (monitor.thresholds or {}).items() if k in ENGINE_THRESHOLDS
    }
    try:
        return GenerativeSpec(
            category=monitor.category_column,
            outcome=monitor.outcome_column or None,
            score=monitor.score_column or None,
            pass_threshold=monitor.pass_threshold,
            sensitive=monitor.sensitive_columns[0] if monitor.sensitive_columns else None,
            refusal=monitor.refusal_column or None,
            run=monitor.run_column or None,
            min_group_size=monitor.min_group_size,
            thresholds=Thresholds(**engine_thresholds),
        )
    except (ConfigurationError, TypeError) as exc:
        raise MonitorConfigError(str(exc)) from exc


def spec_for(monitor: Any) -> ColumnSpec | GenerativeSpec:
    """The engine's column spec for a monitor (only the metrics it asks for)."""
    if monitor.task == GENERATIVE:
        return generative_spec_for(monitor)
    metrics = set(monitor.metrics)
    engine_thresholds = {
        k: v for k, v in (monitor.thresholds or {}).items() if k in ENGINE_THRESHOLDS
    }
    try:
        return ColumnSpec(
            label=monitor.label_column or None,
            prediction=monitor.prediction_column or None,
            score=monitor.score_column or None,
            sensitive=tuple(monitor.sensitive_columns) if "fairness" in metrics else (),
            features=tuple(monitor.feature_columns),
            categorical=tuple(monitor.categorical_columns),
            task=monitor.task,
            pos_label=_pos_label(monitor.pos_label),
            threshold=monitor.decision_threshold,
            attribution_prefix=monitor.attribution_prefix or "shap_",
            min_group_size=monitor.min_group_size,
            thresholds=Thresholds(**engine_thresholds),
        )
    except (ConfigurationError, TypeError) as exc:
        raise MonitorConfigError(str(exc)) from exc


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def validate_log(monitor: Any, location: str | Path, *, role: str = "log") -> list[str]:
    """Check that a log is readable, has rows and has every mapped column with a usable type.

    Reads the schema and at most one row. Raises AssuranceError (or MonitorConfigError) with a
    message for the user; returns the log's columns."""
    spec = spec_for(monitor)
    backend = get_backend("duckdb")
    try:
        source = resolve(location)
        types = {c: logical_type(t) for c, t in backend.describe(source).items()}
        rel = backend.relation(source)
        if not backend.query(f"SELECT 1 AS one FROM {rel} LIMIT 1", source):  # noqa: S608
            check_not_empty(0, source)
        if isinstance(spec, GenerativeSpec):
            # The baseline of an evaluation is another run of the same suite: same columns.
            validate_columns(spec, types, "" if role == "log" else "baseline ")
        elif role == "log":
            validate(spec, types)
            if monitor.timestamp_column and monitor.timestamp_column not in types:
                raise MonitorConfigError(
                    f"timestamp column {monitor.timestamp_column!r} not found; available "
                    f"columns: {', '.join(types)}"
                )
        else:
            missing = [c for c in spec.features if c not in types]
            if missing:
                raise MonitorConfigError(
                    f"reference log lacks the feature column {missing[0]!r}; available "
                    f"columns: {', '.join(types)}"
                )
        return list(types)
    finally:
        backend.close()


def run_assessment(
    monitor: Any,
    log: str,
    reference: str | None,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    """Run the engine on a log and return the result tree, restricted to the monitor's metrics."""
    metrics = set(monitor.metrics)
    spec = spec_for(monitor)
    if isinstance(spec, GenerativeSpec):
        report = assess_generative(log, spec, baseline=reference or None, progress=progress)
        generative = report.to_dict()
        if monitor.timestamp_column:
            generative["window"] = time_window(log, monitor.timestamp_column)
        generative["monitor_thresholds"] = {}
        return generative
    use_reference = reference if ("drift" in metrics or "quality" in metrics) else None
    report = assess(
        log,
        spec,
        reference=use_reference,
        drift_mode="exact",
        progress=progress,
        include_quality="quality" in metrics,
    )
    result = report.to_dict()
    for section, metric in (
        ("performance", "performance"),
        ("fairness", "fairness"),
        ("drift", "drift"),
        ("quality", "quality"),
        ("explain", "explain"),
    ):
        if metric not in metrics:
            result[section] = None
    judged = [result[s]["status"] for s in ("fairness", "drift", "quality") if result.get(s)]
    order = {"not_judged": -1, "ok": 0, "warning": 1, "alert": 2}
    result["status"] = max(judged, key=lambda s: order.get(s, 0)) if judged else "ok"
    if judged and all(s == "not_judged" for s in judged):
        result["status"] = "not_judged"
    if monitor.timestamp_column:
        result["window"] = time_window(log, monitor.timestamp_column)
    result["monitor_thresholds"] = {
        k: v for k, v in (monitor.thresholds or {}).items() if k in PERFORMANCE_THRESHOLDS
    }
    return result


def time_window(log: str, column: str) -> dict[str, str | None]:
    """The first and last timestamp of the log: the period the run's evidence covers."""
    backend = get_backend("duckdb")
    try:
        source = resolve(log)
        rel = backend.relation(source)
        quoted = '"' + column.replace('"', '""') + '"'
        row = backend.query(
            f"SELECT CAST(min({quoted}) AS VARCHAR) AS first, "  # noqa: S608
            f"CAST(max({quoted}) AS VARCHAR) AS last FROM {rel}",
            source,
        )[0]
        return {"start": row["first"], "end": row["last"]}
    finally:
        backend.close()


def _group_label(key: dict[str, Any], attributes: list[str]) -> str:
    return ", ".join(f"{a}={key.get(a)}" for a in attributes)


def worst_group(result: dict[str, Any], attributes: list[str]) -> dict[str, Any] | None:
    """The judged group of a grouping with the lowest selection rate, against the highest."""
    groups = [
        g
        for g in (result.get("fairness") or {}).get("groups", [])
        if g["attributes"] == attributes and g["judged"] and g["selection_rate"] is not None
    ]
    if len(groups) < 2:
        return None
    low = min(groups, key=lambda g: g["selection_rate"])
    high = max(groups, key=lambda g: g["selection_rate"])
    return {
        "group": _group_label(low["key"], attributes),
        "selection_rate": low["selection_rate"],
        "reference_group": _group_label(high["key"], attributes),
        "reference_rate": high["selection_rate"],
    }


def find_breaches(result: dict[str, Any], level: str = "alert") -> list[dict[str, Any]]:
    """Every check whose status reaches `level` (alert, or warning and alert)."""
    hit = {"alert"} if level == "alert" else {"alert", "warning"}
    found: list[dict[str, Any]] = []
    fairness = result.get("fairness") or {}
    for d in fairness.get("disparities", []):
        if d["status"] in hit:
            entry: dict[str, Any] = {
                "check": "fairness",
                "subject": " \u00d7 ".join(d["attributes"]),
                "status": d["status"],
                "value": d["demographic_parity_ratio"],
                "message": "; ".join(d["reasons"]),
            }
            worst = worst_group(result, d["attributes"])
            if worst:
                entry["group"] = worst["group"]
                entry["message"] += (
                    f" (lowest selection rate: {worst['group']} {worst['selection_rate']:.3f} "
                    f"vs {worst['reference_group']} {worst['reference_rate']:.3f})"
                )
            found.append(entry)
    for f in (result.get("drift") or {}).get("features", []):
        if f["status"] in hit:
            psi = f["metrics"].get("psi", {})
            limits = psi.get("threshold", {})
            found.append(
                {
                    "check": "drift",
                    "subject": f["column"],
                    "status": f["status"],
                    "value": psi.get("value"),
                    "message": f"PSI {psi.get('value') or 0:.3f} (warning "
                    f"{limits.get('warning')}, alert {limits.get('alert')})",
                }
            )
    quality = result.get("quality") or {}
    for column in quality.get("missing_columns", []):
        found.append(_quality(column, "alert", "column missing from the log"))
    for column, change in (quality.get("type_changes") or {}).items():
        found.append(_quality(column, "alert", f"type changed: {change}"))
    if level != "alert":
        for c in quality.get("columns", []):
            if c["status"] in hit and c["column"] not in quality.get("type_changes", {}):
                found.append(_quality(c["column"], c["status"], _quality_reason(c)))
    found += _generative_breaches(result.get("generative") or {}, hit)
    perf = result.get("performance") or {}
    for key, metric in PERFORMANCE_THRESHOLDS.items():
        floor = (result.get("monitor_thresholds") or {}).get(key)
        value = perf.get(metric)
        if floor is not None and value is not None and value < floor:
            found.append(
                {
                    "check": "performance",
                    "subject": metric,
                    "status": "alert",
                    "value": value,
                    "message": f"{metric.replace('_', ' ')} {value:.3f} < {floor}",
                }
            )
    return found


def _generative_breaches(g: dict[str, Any], hit: set[str]) -> list[dict[str, Any]]:
    """Regressions between runs (alerts) and pass-rate gaps between groups (warnings)."""
    found: list[dict[str, Any]] = []
    if "alert" in hit:
        for c in g.get("comparisons", []):
            if not c["regression"]:
                continue
            iv = c["change_interval"] or {}
            found.append(
                {
                    "check": "generative",
                    "subject": c["category"] or "all categories",
                    "status": "alert",
                    "value": c["change"],
                    "message": f"pass rate {c['baseline_rate']:.3f} → {c['current_rate']:.3f} "
                    f"(change {c['change']:+.3f}, interval [{iv.get('low', 0):+.3f}, "
                    f"{iv.get('high', 0):+.3f}]) against the baseline {g.get('baseline')}",
                }
            )
    for gap in g.get("group_gaps", []):
        if gap["status"] in hit:
            found.append(
                {
                    "check": "generative",
                    "subject": gap["scope"],
                    "status": gap["status"],
                    "value": gap["gap"],
                    "message": "; ".join(gap["reasons"]),
                }
            )
    return found


def _quality(column: str, status: str, message: str) -> dict[str, Any]:
    return {
        "check": "quality",
        "subject": column,
        "status": status,
        "value": None,
        "message": message,
    }


def _quality_reason(c: dict[str, Any]) -> str:
    parts = []
    if c.get("missing_rate"):
        parts.append(f"missing {c['missing_rate']:.1%}")
    if c.get("out_of_range_rate"):
        parts.append(f"out of range {c['out_of_range_rate']:.1%}")
    if c.get("new_categories"):
        parts.append(f"new categories {', '.join(map(str, c['new_categories'][:5]))}")
    return "; ".join(parts) or c["status"]


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """The few figures kept apart from the result, for trend charts and comparisons."""
    out: dict[str, Any] = {"n_rows": result.get("n_rows")}
    if result.get("window"):
        out["window"] = result["window"]
    perf = result.get("performance") or {}
    for key in ("accuracy", "roc_auc", "f1", "precision", "recall", "brier", "mae", "rmse", "r2"):
        if perf.get(key) is not None:
            out[key] = perf[key]
    fairness = result.get("fairness") or {}
    ratios = {}
    for d in fairness.get("disparities", []):
        name = " \u00d7 ".join(d["attributes"])
        ratios[name] = {
            "dp_ratio": d["demographic_parity_ratio"],
            "dp_difference": d["demographic_parity_difference"],
            "eo_difference": d["equalized_odds_difference"],
            "status": d["status"],
        }
    if ratios:
        out["fairness"] = ratios
        values = [r["dp_ratio"] for r in ratios.values() if r["dp_ratio"] is not None]
        if values:
            out["dp_ratio_min"] = min(values)
    drift = result.get("drift") or {}
    psi = {f["column"]: f["metrics"].get("psi", {}).get("value") for f in drift.get("features", [])}
    if psi:
        out["psi"] = psi
        values = [v for v in psi.values() if v is not None]
        if values:
            out["psi_max"] = max(values)
    out.update(_generative_summary(result.get("generative")))
    quality = result.get("quality") or {}
    rates = [c["missing_rate"] for c in quality.get("columns", []) if c["missing_rate"] is not None]
    if rates:
        out["missing_rate_max"] = max(rates)
    return out


def _generative_summary(g: dict[str, Any] | None) -> dict[str, Any]:
    """Pass and refusal rates, overall and per category, the largest group gap, regressions."""
    if not g:
        return {}
    out: dict[str, Any] = {"pass_rate": g["overall"]["pass_rate"]}
    if g["overall"].get("refusal_rate") is not None:
        out["refusal_rate"] = g["overall"]["refusal_rate"]
    out["pass_rate_by_category"] = {c["category"]: c["pass_rate"] for c in g["by_category"]}
    rates = [c["pass_rate"] for c in g["by_category"] if c["pass_rate"] is not None]
    if rates:
        out["pass_rate_min"] = min(rates)
    gap = g.get("largest_group_gap")
    if gap:
        out["group_gap_max"] = gap["gap"]
    if g.get("comparisons"):
        out["regressions"] = len(g["regressions"])
    return out


__all__ = [
    "STEPS",
    "THRESHOLD_KEYS",
    "AssuranceError",
    "MonitorConfigError",
    "check_thresholds",
    "default_thresholds",
    "find_breaches",
    "first_line",
    "generative_spec_for",
    "run_assessment",
    "spec_for",
    "summarise",
    "validate_log",
    "worst_group",
]
