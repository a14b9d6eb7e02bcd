"""Shaping a run's result tree for its page: per-group tables with intervals and the groups too
small to judge, drift and data-quality rows, and the methods and thresholds used."""

from __future__ import annotations

from typing import Any

RATES = ("selection_rate", "tpr", "fpr", "precision", "error_rate")
RATE_LABELS = {
    "selection_rate": "selection rate",
    "tpr": "true-positive rate",
    "fpr": "false-positive rate",
    "precision": "precision",
    "error_rate": "error rate",
}


def _label(key: dict[str, Any], attributes: list[str]) -> str:
    return ", ".join(
        f"{a} = {key.get(a) if key.get(a) is not None else 'null'}" for a in attributes
    )


def fairness_tables(fairness: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One table per grouping (each attribute and intersection), groups sorted by selection rate."""
    if not fairness:
        return []
    tables = []
    for d in fairness.get("disparities", []):
        attrs = d["attributes"]
        groups = [g for g in fairness.get("groups", []) if g["attributes"] == attrs]
        rates = [
            g["selection_rate"] for g in groups if g["judged"] and g["selection_rate"] is not None
        ]
        top = max(rates) if rates else None
        rows = []
        for g in sorted(groups, key=lambda g: (not g["judged"], -(g["selection_rate"] or 0))):
            cells = []
            for rate in RATES:
                interval = (g.get("intervals") or {}).get(rate)
                cells.append({"value": g.get(rate), "interval": interval})
            ratio = (
                g["selection_rate"] / top
                if g["judged"] and top and g["selection_rate"] is not None
                else None
            )
            rows.append(
                {
                    "label": _label(g["key"], attrs),
                    "n": g["n_rows"],
                    "excluded": g["n_excluded"],
                    "judged": g["judged"],
                    "cells": cells,
                    "ratio": ratio,
                }
            )
        tables.append({"name": " \u00d7 ".join(attrs), "disparity": d, "rows": rows})
    return tables


def _scope_label(cell: dict[str, Any], group_column: str | None) -> str:
    parts = []
    if cell["level"] in ("category", "category_group"):
        parts.append(str(cell["category"]))
    if cell["level"] in ("group", "category_group"):
        parts.append(f"{group_column}={'null' if cell['group'] is None else cell['group']}")
    return " · ".join(parts) or "All test cases"


def generative_rows(g: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Pass and refusal rates of an evaluation run, overall, then per category, per group and
    per category and group, each with its interval."""
    if not g:
        return []
    cells = [g["overall"], *g["by_category"], *g["by_group"], *g["by_category_group"]]
    return [
        {
            "label": _scope_label(c, g["group_column"]),
            "level": c["level"],
            "n": c["n"],
            "excluded": c["n_excluded"],
            "passed": c["passed"],
            "pass_rate": c["pass_rate"],
            "pass_interval": c["pass_interval"],
            "refusal_rate": c["refusal_rate"],
            "refusal_interval": c["refusal_interval"],
            "judged": c["judged"],
        }
        for c in cells
    ]


def run_sections(result: dict[str, Any]) -> dict[str, Any]:
    fairness = result.get("fairness")
    drift = result.get("drift")
    quality = result.get("quality")
    explain = result.get("explain")
    return {
        "performance": result.get("performance"),
        "fairness": fairness,
        "fairness_tables": fairness_tables(fairness),
        "rate_labels": [RATE_LABELS[r] for r in RATES],
        "drift": drift,
        "drift_rows": [
            {
                "column": f["column"],
                "kind": f["kind"],
                "status": f["status"],
                "n_reference": f["n_reference"],
                "n_current": f["n_current"],
                "missing": f["n_current_missing"],
                "binning": f["binning"],
                "metrics": [
                    {
                        "name": name.replace("_", " "),
                        "value": m["value"],
                        "p_value": m["p_value"],
                        "status": m["status"],
                        "threshold": m["threshold"],
                        "method": m["method"],
                    }
                    for name, m in f["metrics"].items()
                ],
            }
            for f in (drift or {}).get("features", [])
        ],
        "quality": quality,
        "explain": explain,
        "explain_rows": [
            {"feature": f, "value": (explain or {}).get("global_mean_abs", {}).get(f)}
            for f in (explain or {}).get("ranking", [])
        ],
        "generative": result.get("generative"),
        "generative_rows": generative_rows(result.get("generative")),
        "spec": result.get("spec") or {},
        "timings": result.get("timings") or {},
        "versions": result.get("versions") or {},
    }
