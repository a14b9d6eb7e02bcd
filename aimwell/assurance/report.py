"""Writing reports: ``report.json`` (the full result tree, layout versioned by
``schema_version`` and described in docs/assurance-report.schema.json), a self-contained,
readable ``report.html`` (every value escaped, inline CSS, no scripts, no external resources)
and a Markdown summary for pull requests and tickets."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from aimwell.data_drift.report import drift_html, drift_markdown
from aimwell.generative_evaluation.report import generative_html, generative_markdown

from .report_tables import fmt, html_table, md_table, status_badge
from .results import AssuranceReport

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2433}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status{padding:.1rem .45rem;border-radius:.6rem;font-weight:600;font-size:.8rem}
.ok{background:#dafbe1;color:#116329}.warning{background:#fff8c5;color:#7d4e00}
.alert{background:#ffebe9;color:#a40e26}.not_judged{background:#eaeef2;color:#57606a}
.muted{color:#57606a;font-size:.85rem}
"""


def _multiclass(p: dict[str, Any]) -> str:
    out = html_table(
        ["n", "excluded", "classes", "accuracy", "macro precision", "macro recall", "macro F1",
         "weighted F1"],
        [[p["n"], p["n_excluded"], len(p["classes"]), p["accuracy"], p["macro_precision"],
          p["macro_recall"], p["macro_f1"], p["weighted_f1"]]],
    )  # fmt: skip
    out += html_table(
        ["class", "support", "predicted", "precision", "recall", "F1"],
        [[c["value"], c["support"], c["predicted"], c["precision"], c["recall"], c["f1"]]
         for c in p["per_class"]],
    )  # fmt: skip
    out += "<p class='muted'>Confusion matrix (rows: actual, columns: predicted)</p>"
    out += html_table(
        ["", *[str(c) for c in p["classes"]]],
        [[str(c), *row] for c, row in zip(p["classes"], p["confusion_matrix"], strict=True)],
    )
    return out + f"<p class='muted'>{escape(p['averaging'])}. {escape(p['null_policy'])}.</p>"


def _performance(p: dict[str, Any]) -> str:
    if p["task"] == "multiclass":
        return _multiclass(p)
    if p["task"] == "regression":
        return html_table(
            ["n", "excluded", "MAE", "RMSE", "R²"],
            [[p["n"], p["n_excluded"], p["mae"], p["rmse"], p["r2"]]],
        )
    c = p["confusion"]
    out = html_table(
        ["n", "excluded", "accuracy", "precision", "recall", "F1", "ROC AUC", "Brier"],
        [[p["n"], p["n_excluded"], p["accuracy"], p["precision"], p["recall"], p["f1"],
          p["roc_auc"], p["brier"]]],
    )  # fmt: skip
    out += "<p class='muted'>Confusion matrix (rows: actual, columns: predicted)</p>"
    out += html_table(
        ["", "predicted positive", "predicted negative"],
        [["actual positive", c["tp"], c["fn"]], ["actual negative", c["fp"], c["tn"]]],
    )
    if p.get("calibration"):
        out += f"<p class='muted'>Calibration: {escape(p['calibration_binning'])}</p>"
        out += html_table(
            ["bin", "count", "mean score", "fraction positive"],
            [[f"{b['lower']:.2f}-{b['upper']:.2f}", b["count"], b["mean_score"],
              b["fraction_positive"]] for b in p["calibration"]],
        )  # fmt: skip
    out += f"<p class='muted'>{escape(p['null_policy'])}</p>"
    return out


def _fairness(f: dict[str, Any]) -> str:
    out = (
        f"<p>Minimum group size {f['min_group_size']}; intervals: "
        f"{escape(f['interval_method'])}. Thresholds: "
        + escape(", ".join(f"{k} {v}" for k, v in f["thresholds"].items()))
        + "</p>"
    )
    out += html_table(
        ["attributes", "status", "groups (judged)", "DP difference", "DP ratio",
         "EO difference", "EO ratio", "EOpp difference", "not judged", "reasons"],
        [[" x ".join(d["attributes"]), status_badge(d["status"]),
          f"{d['n_groups']} ({d['n_groups_judged']})", d["demographic_parity_difference"],
          d["demographic_parity_ratio"], d["equalized_odds_difference"],
          d["equalized_odds_ratio"], d["equal_opportunity_difference"],
          "; ".join(d["not_judged"]), "; ".join(d["reasons"])]
         for d in f["disparities"]],
        raw={1},
    )  # fmt: skip

    def ci(g: dict[str, Any], m: str) -> str:
        iv = g["intervals"].get(m)
        return "" if not iv else f" [{iv['low']:.3f}, {iv['high']:.3f}]"

    rows = []
    for g in f["groups"]:
        label = ", ".join(f"{a}={g['key'][a]}" for a in g["attributes"])
        c = g["counts"]
        rows.append(
            [label, g["n_rows"], g["n_excluded"], c["tp"], c["fp"], c["tn"], c["fn"],
             "yes" if g["judged"] else "no (too small)"]
            + [(fmt(g[m]) + escape(ci(g, m))) if g[m] is not None else "&ndash;"
               for m in ("selection_rate", "tpr", "fpr", "precision", "error_rate")]
        )  # fmt: skip
    out += html_table(
        [
            "group",
            "rows",
            "excluded",
            "tp",
            "fp",
            "tn",
            "fn",
            "judged",
            "selection rate",
            "TPR",
            "FPR",
            "precision",
            "error rate",
        ],
        rows,
        raw={8, 9, 10, 11, 12},
    )
    return out


def _regression_fairness(f: dict[str, Any]) -> str:
    out = (
        f"<p>Minimum group size {f['min_group_size']}; intervals: "
        f"{escape(f['interval_method'])}; warning when the MAE ratio is below "
        f"{f['threshold_mae_ratio']}.</p>"
    )
    out += html_table(
        ["attributes", "status", "groups (judged)", "MAE gap", "MAE ratio", "bias gap",
         "largest MAE", "not judged", "reasons"],
        [[" x ".join(g["attributes"]), status_badge(g["status"]),
          f"{g['n_groups']} ({g['n_groups_judged']})", g["mae_gap"], g["mae_ratio"],
          g["bias_gap"], g["worst_group"], "; ".join(g["not_judged"]), "; ".join(g["reasons"])]
         for g in f["gaps"]],
        raw={1},
    )  # fmt: skip

    def with_ci(g: dict[str, Any], m: str) -> str:
        iv = g["intervals"].get(m)
        ci = "" if not iv else f" [{iv['low']:.4g}, {iv['high']:.4g}]"
        return fmt(g[m]) + escape(ci)

    out += html_table(
        ["group", "n", "excluded", "judged", "MAE", "RMSE", "bias"],
        [[", ".join(f"{a}={g['key'][a]}" for a in g["attributes"]), g["n"], g["n_excluded"],
          "yes" if g["judged"] else "no (too small)", with_ci(g, "mae"), g["rmse"],
          with_ci(g, "bias")] for g in f["groups"]],
        raw={4, 6},
    )  # fmt: skip
    return out


def _quality(q: dict[str, Any]) -> str:
    out = html_table(
        ["rows", "missing columns", "extra columns", "type changes"],
        [[q["n_rows"], ", ".join(q["missing_columns"]), ", ".join(q["extra_columns"]),
          "; ".join(f"{k}: {v['reference']} → {v['current']}"
                    for k, v in q["type_changes"].items())]],
    )  # fmt: skip
    out += html_table(
        ["column", "type", "status", "missing", "missing rate", "out of range",
         "reference range", "new categories"],
        [[c["column"], c["type"], status_badge(c["status"]), c["missing"], c["missing_rate"],
          c["out_of_range"],
          "" if c["reference_min"] is None else f"{c['reference_min']} - {c['reference_max']}",
          "" if c["new_categories"] is None else ", ".join(map(str, c["new_categories"]))]
         for c in q["columns"]],
        raw={2},
    )  # fmt: skip
    return out


def _explain(e: dict[str, Any]) -> str:
    feats = e["ranking"]
    rows = [["overall", *[e["global_mean_abs"][f] for f in feats]]]
    rows += [
        [
            ", ".join(f"{a}={g['key'][a]}" for a in g["attributes"]),
            *[g["mean_abs"][f] for f in feats],
        ]
        for g in e["groups"]
    ]
    return (
        f"<p>Mean absolute attribution of the <code>{escape(e['prefix'])}*</code> columns.</p>"
        + html_table(["group", *feats], rows)
    )


def render_html(report: AssuranceReport | dict[str, Any]) -> str:
    r = report.to_dict() if isinstance(report, AssuranceReport) else report
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Assurance report - {escape(r['log'])}</title><style>{CSS}</style></head><body>",
        f"<h1>Assurance report {status_badge(r['status'])}</h1>",
        "".join(f"<p><strong>{escape(h)}</strong></p>" for h in r.get("headline", [])),
        html_table(
            ["log", "reference", "rows", "backend", "generated"],
            [[r["log"], r["reference"], r["n_rows"], r["backend"], r["generated_at"]]],
        ),
    ]
    sections = (
        ("Performance", "performance", _performance),
        ("Fairness", "fairness", _fairness),
        ("Regression error by group", "regression_fairness", _regression_fairness),
        ("Generative-AI evaluation", "generative", generative_html),
        ("Drift", "drift", drift_html),
        ("Data quality", "quality", _quality),
        ("Explainability", "explain", _explain),
    )
    for title, key, fn in sections:
        if r.get(key):
            status = r[key].get("status")
            badge = f" {status_badge(status)}" if status else ""
            parts.append(f"<h2>{escape(title)}{badge}</h2>{fn(r[key])}")
    parts.append(
        "<p class='muted'>Versions: "
        + escape(", ".join(f"{k} {v}" for k, v in r.get("versions", {}).items()))
        + ". Timings (s): "
        + escape(", ".join(f"{k} {v:.3f}" for k, v in r.get("timings", {}).items()))
        + "</p></body></html>"
    )
    return "\n".join(parts)


def render_markdown(report: AssuranceReport | dict[str, Any]) -> str:
    """A short summary: status, headline, performance, disparities, drifted features."""
    r = report.to_dict() if isinstance(report, AssuranceReport) else report
    lines = [f"# Assurance report: {r['status']}", ""]
    lines += [f"- **{h}**" for h in r.get("headline", [])]
    lines += [f"- log: `{r['log']}` ({r['n_rows']} rows, {r['backend']})"]
    if r.get("reference"):
        lines.append(f"- reference: `{r['reference']}`")
    lines.append("")
    p = r.get("performance")
    if p:
        lines += ["## Performance", ""]
        if p["task"] == "multiclass":
            keys = ["n", "accuracy", "macro_precision", "macro_recall", "macro_f1"]
            lines += md_table(keys, [[p[k] for k in keys]])
            lines += md_table(
                ["class", "support", "precision", "recall", "F1"],
                [[c["value"], c["support"], c["precision"], c["recall"], c["f1"]]
                 for c in p["per_class"]],
            )  # fmt: skip
        elif p["task"] == "regression":
            keys = ["n", "mae", "rmse", "r2"]
            lines += md_table(keys, [[p[k] for k in keys]])
        else:
            keys = ["n", "accuracy", "precision", "recall", "f1", "roc_auc", "brier"]
            lines += md_table(keys, [[p[k] for k in keys]])
    f = r.get("fairness")
    if f:
        lines += [f"## Fairness: {f['status']}", ""]
        lines += md_table(
            ["attributes", "status", "groups (judged)", "DP ratio", "EO difference", "reasons"],
            [[" x ".join(d["attributes"]), d["status"], f"{d['n_groups']} ({d['n_groups_judged']})",
              d["demographic_parity_ratio"], d["equalized_odds_difference"],
              "; ".join(d["reasons"])] for d in f["disparities"]],
        )  # fmt: skip
    rf = r.get("regression_fairness")
    if rf:
        lines += [f"## Regression error by group: {rf['status']}", ""]
        lines += md_table(
            ["attributes", "status", "MAE gap", "MAE ratio", "bias gap", "largest MAE"],
            [[" x ".join(g["attributes"]), g["status"], g["mae_gap"], g["mae_ratio"],
              g["bias_gap"], g["worst_group"]] for g in rf["gaps"]],
        )  # fmt: skip
    g = r.get("generative")
    if g:
        lines += generative_markdown(g)
    d = r.get("drift")
    if d:
        lines += drift_markdown(d)
    q = r.get("quality")
    if q:
        flagged = [c for c in q["columns"] if c["status"] != "ok"]
        lines += [f"## Data quality: {q['status']}", ""]
        lines += md_table(
            ["column", "status", "missing rate", "out of range"],
            [[c["column"], c["status"], c["missing_rate"], c["out_of_range"]] for c in flagged],
        ) if flagged else ["No column flagged.", ""]  # fmt: skip
    lines.append(f"_Generated {r['generated_at']}; report schema {r['schema_version']}._")
    return "\n".join(lines) + "\n"


def write_one(report: AssuranceReport, path: str | Path, fmt: str) -> Path:
    """Write the report as one file: ``json``, ``md`` or ``html``."""
    target = Path(path)
    if target.parent != Path():
        target.parent.mkdir(parents=True, exist_ok=True)
    data = report.to_dict()
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False)
    elif fmt == "md":
        text = render_markdown(data)
    else:
        text = render_html(data)
    target.write_text(text, encoding="utf-8")
    return target


def write_report(report: AssuranceReport, out_dir: str | Path) -> tuple[Path, Path]:
    """Write report.json and report.html into ``out_dir`` (created if needed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = report.to_dict()
    json_path = out / "report.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    html_path = out / "report.html"
    html_path.write_text(render_html(data), encoding="utf-8")
    return json_path, html_path
