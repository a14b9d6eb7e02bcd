"""Writing reports: ``report.json`` (the full result tree, layout versioned by
``schema_version`` and described in docs/assurance-report.schema.json), a self-contained,
readable ``report.html`` (every value escaped, inline CSS, no scripts, no external resources)
and a Markdown summary for pull requests and tickets."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

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


def _fmt(v: Any) -> str:
    if v is None:
        return "&ndash;"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return escape(f"{v:.6g}")
    return escape(str(v))


def _status(s: str | None) -> str:
    s = s or "not_judged"
    return f'<span class="status {escape(s)}">{escape(s.replace("_", " "))}</span>'


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], raw: Collection[int] = ()) -> str:
    """An HTML table; every cell is escaped except the columns in ``raw`` (our own markup)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            if i in raw:
                cells.append(f"<td>{v}</td>")
            else:
                cls = (
                    ' class="num"' if isinstance(v, int | float) and not isinstance(v, bool) else ""
                )
                cells.append(f"<td{cls}>{_fmt(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _multiclass(p: dict[str, Any]) -> str:
    out = _table(
        ["n", "excluded", "classes", "accuracy", "macro precision", "macro recall", "macro F1",
         "weighted F1"],
        [[p["n"], p["n_excluded"], len(p["classes"]), p["accuracy"], p["macro_precision"],
          p["macro_recall"], p["macro_f1"], p["weighted_f1"]]],
    )  # fmt: skip
    out += _table(
        ["class", "support", "predicted", "precision", "recall", "F1"],
        [[c["value"], c["support"], c["predicted"], c["precision"], c["recall"], c["f1"]]
         for c in p["per_class"]],
    )  # fmt: skip
    out += "<p class='muted'>Confusion matrix (rows: actual, columns: predicted)</p>"
    out += _table(
        ["", *[str(c) for c in p["classes"]]],
        [[str(c), *row] for c, row in zip(p["classes"], p["confusion_matrix"], strict=True)],
    )
    return out + f"<p class='muted'>{escape(p['averaging'])}. {escape(p['null_policy'])}.</p>"


def _performance(p: dict[str, Any]) -> str:
    if p["task"] == "multiclass":
        return _multiclass(p)
    if p["task"] == "regression":
        return _table(
            ["n", "excluded", "MAE", "RMSE", "R²"],
            [[p["n"], p["n_excluded"], p["mae"], p["rmse"], p["r2"]]],
        )
    c = p["confusion"]
    out = _table(
        ["n", "excluded", "accuracy", "precision", "recall", "F1", "ROC AUC", "Brier"],
        [[p["n"], p["n_excluded"], p["accuracy"], p["precision"], p["recall"], p["f1"],
          p["roc_auc"], p["brier"]]],
    )  # fmt: skip
    out += "<p class='muted'>Confusion matrix (rows: actual, columns: predicted)</p>"
    out += _table(
        ["", "predicted positive", "predicted negative"],
        [["actual positive", c["tp"], c["fn"]], ["actual negative", c["fp"], c["tn"]]],
    )
    if p.get("calibration"):
        out += f"<p class='muted'>Calibration: {escape(p['calibration_binning'])}</p>"
        out += _table(
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
    out += _table(
        ["attributes", "status", "groups (judged)", "DP difference", "DP ratio",
         "EO difference", "EO ratio", "EOpp difference", "not judged", "reasons"],
        [[" x ".join(d["attributes"]), _status(d["status"]),
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
            + [(_fmt(g[m]) + escape(ci(g, m))) if g[m] is not None else "&ndash;"
               for m in ("selection_rate", "tpr", "fpr", "precision", "error_rate")]
        )  # fmt: skip
    out += _table(
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
    out += _table(
        ["attributes", "status", "groups (judged)", "MAE gap", "MAE ratio", "bias gap",
         "largest MAE", "not judged", "reasons"],
        [[" x ".join(g["attributes"]), _status(g["status"]),
          f"{g['n_groups']} ({g['n_groups_judged']})", g["mae_gap"], g["mae_ratio"],
          g["bias_gap"], g["worst_group"], "; ".join(g["not_judged"]), "; ".join(g["reasons"])]
         for g in f["gaps"]],
        raw={1},
    )  # fmt: skip

    def with_ci(g: dict[str, Any], m: str) -> str:
        iv = g["intervals"].get(m)
        ci = "" if not iv else f" [{iv['low']:.4g}, {iv['high']:.4g}]"
        return _fmt(g[m]) + escape(ci)

    out += _table(
        ["group", "n", "excluded", "judged", "MAE", "RMSE", "bias"],
        [[", ".join(f"{a}={g['key'][a]}" for a in g["attributes"]), g["n"], g["n_excluded"],
          "yes" if g["judged"] else "no (too small)", with_ci(g, "mae"), g["rmse"],
          with_ci(g, "bias")] for g in f["groups"]],
        raw={4, 6},
    )  # fmt: skip
    return out


def _rate(rate: float | None, iv: dict[str, float] | None) -> str:
    """A rate with its interval, escaped (for a raw cell)."""
    if rate is None:
        return "&ndash;"
    return escape(f"{rate:.3f}" + ("" if not iv else f" [{iv['low']:.3f}, {iv['high']:.3f}]"))


def _cell_label(c: dict[str, Any], group_column: str | None) -> str:
    parts = []
    if c["level"] in ("category", "category_group"):
        parts.append(f"category={c['category']}")
    if c["level"] in ("group", "category_group"):
        parts.append(f"{group_column}={'null' if c['group'] is None else c['group']}")
    return ", ".join(parts) or "overall"


def _group_rate(group: str | None, rate: float | None) -> str | None:
    return None if rate is None else f"{group} {rate:.3f}"


def _generative(g: dict[str, Any]) -> str:
    out = (
        f"<p>A test case passes when {escape(g['pass_rule'])}. Intervals: "
        f"{escape(g['interval_method'])}; cells with fewer than {g['min_group_size']} test "
        f"cases are not judged; a group gap above {g['threshold_pass_gap']} with intervals "
        "apart is a warning, a regression (current interval entirely below the baseline's) "
        "an alert.</p>"
    )
    refusals = g["refusal_column"] is not None
    cells = [g["overall"], *g["by_category"], *g["by_group"], *g["by_category_group"]]
    out += _table(
        ["scope", "test cases", "no outcome", "passed", "pass rate [interval]", "judged",
         *(["refused", "refusal rate [interval]"] if refusals else [])],
        [[_cell_label(c, g["group_column"]), c["n"], c["n_excluded"], c["passed"],
          _rate(c["pass_rate"], c["pass_interval"]), "yes" if c["judged"] else "no (too small)",
          *([c["refused"], _rate(c["refusal_rate"], c["refusal_interval"])]
            if refusals else [])]
         for c in cells],
        raw={4, 7},
    )  # fmt: skip
    if g["group_gaps"]:
        out += "<p class='muted'>Pass-rate gaps between groups</p>" + _table(
            ["scope", "status", "groups (judged)", "highest", "lowest", "gap", "intervals overlap",
             "reasons"],
            [[x["scope"], _status(x["status"]), f"{x['n_groups']} ({x['n_groups_judged']})",
              _group_rate(x["highest_group"], x["highest_rate"]),
              _group_rate(x["lowest_group"], x["lowest_rate"]),
              x["gap"], x["intervals_overlap"], "; ".join(x["reasons"])]
             for x in g["group_gaps"]],
            raw={1},
        )  # fmt: skip
    if g["comparisons"]:
        out += (
            f"<p class='muted'>Run {escape(str(g['current_run'] or 'current'))} against the "
            f"baseline {escape(str(g['baseline']))}</p>"
        )
        out += _table(
            ["category", "baseline", "current", "change [interval]", "judged", "verdict"],
            [[c["category"] or "all categories",
              _rate(c["baseline_rate"], c["baseline_interval"]) + f" (n={c['baseline_n']})",
              _rate(c["current_rate"], c["current_interval"]) + f" (n={c['current_n']})",
              _rate(c["change"], c["change_interval"]), "yes" if c["judged"] else "no",
              "regression" if c["regression"] else "improvement" if c["improvement"] else
              "no significant change"]
             for c in g["comparisons"]],
            raw={1, 2, 3},
        )  # fmt: skip
    return out


def _drift(d: dict[str, Any]) -> str:
    def m(f: dict[str, Any], name: str, key: str = "value") -> Any:
        metric = f["metrics"].get(name)
        return None if metric is None else metric.get(key)

    out = f"<p>Mode: {escape(d['mode'])}. {escape(d['null_policy'])}.</p>"
    out += _table(
        ["column", "kind", "status", "PSI", "KS", "KS p", "Wasserstein (normed)", "JS",
         "chi²", "chi² p", "n ref", "n cur", "missing ref", "missing cur", "binning"],
        [[f["column"], f["kind"], _status(f["status"]), m(f, "psi"), m(f, "ks"),
          m(f, "ks", "p_value"), m(f, "wasserstein_normed"), m(f, "jensen_shannon"),
          m(f, "chi_square"), m(f, "chi_square", "p_value"), f["n_reference"],
          f["n_current"], f["n_reference_missing"], f["n_current_missing"], f["binning"]]
         for f in d["features"]],
        raw={2},
    )  # fmt: skip
    return out


def _quality(q: dict[str, Any]) -> str:
    out = _table(
        ["rows", "missing columns", "extra columns", "type changes"],
        [[q["n_rows"], ", ".join(q["missing_columns"]), ", ".join(q["extra_columns"]),
          "; ".join(f"{k}: {v['reference']} → {v['current']}"
                    for k, v in q["type_changes"].items())]],
    )  # fmt: skip
    out += _table(
        ["column", "type", "status", "missing", "missing rate", "out of range",
         "reference range", "new categories"],
        [[c["column"], c["type"], _status(c["status"]), c["missing"], c["missing_rate"],
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
        + _table(["group", *feats], rows)
    )


def render_html(report: AssuranceReport | dict[str, Any]) -> str:
    r = report.to_dict() if isinstance(report, AssuranceReport) else report
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Assurance report - {escape(r['log'])}</title><style>{CSS}</style></head><body>",
        f"<h1>Assurance report {_status(r['status'])}</h1>",
        "".join(f"<p><strong>{escape(h)}</strong></p>" for h in r.get("headline", [])),
        _table(
            ["log", "reference", "rows", "backend", "generated"],
            [[r["log"], r["reference"], r["n_rows"], r["backend"], r["generated_at"]]],
        ),
    ]
    sections = (
        ("Performance", "performance", _performance),
        ("Fairness", "fairness", _fairness),
        ("Regression error by group", "regression_fairness", _regression_fairness),
        ("Generative-AI evaluation", "generative", _generative),
        ("Drift", "drift", _drift),
        ("Data quality", "quality", _quality),
        ("Explainability", "explain", _explain),
    )
    for title, key, fn in sections:
        if r.get(key):
            status = r[key].get("status")
            badge = f" {_status(status)}" if status else ""
            parts.append(f"<h2>{escape(title)}{badge}</h2>{fn(r[key])}")
    parts.append(
        "<p class='muted'>Versions: "
        + escape(", ".join(f"{k} {v}" for k, v in r.get("versions", {}).items()))
        + ". Timings (s): "
        + escape(", ".join(f"{k} {v:.3f}" for k, v in r.get("timings", {}).items()))
        + "</p></body></html>"
    )
    return "\n".join(parts)


def _md_cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return [*out, ""]


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
            lines += _md_table(keys, [[p[k] for k in keys]])
            lines += _md_table(
                ["class", "support", "precision", "recall", "F1"],
                [[c["value"], c["support"], c["precision"], c["recall"], c["f1"]]
                 for c in p["per_class"]],
            )  # fmt: skip
        elif p["task"] == "regression":
            keys = ["n", "mae", "rmse", "r2"]
            lines += _md_table(keys, [[p[k] for k in keys]])
        else:
            keys = ["n", "accuracy", "precision", "recall", "f1", "roc_auc", "brier"]
            lines += _md_table(keys, [[p[k] for k in keys]])
    f = r.get("fairness")
    if f:
        lines += [f"## Fairness: {f['status']}", ""]
        lines += _md_table(
            ["attributes", "status", "groups (judged)", "DP ratio", "EO difference", "reasons"],
            [[" x ".join(d["attributes"]), d["status"], f"{d['n_groups']} ({d['n_groups_judged']})",
              d["demographic_parity_ratio"], d["equalized_odds_difference"],
              "; ".join(d["reasons"])] for d in f["disparities"]],
        )  # fmt: skip
    rf = r.get("regression_fairness")
    if rf:
        lines += [f"## Regression error by group: {rf['status']}", ""]
        lines += _md_table(
            ["attributes", "status", "MAE gap", "MAE ratio", "bias gap", "largest MAE"],
            [[" x ".join(g["attributes"]), g["status"], g["mae_gap"], g["mae_ratio"],
              g["bias_gap"], g["worst_group"]] for g in rf["gaps"]],
        )  # fmt: skip
    g = r.get("generative")
    if g:
        lines += _generative_markdown(g)
    d = r.get("drift")
    if d:
        lines += [f"## Drift ({d['mode']}): {d['status']}", ""]
        lines += _md_table(
            ["column", "status", "PSI"],
            [[x["column"], x["status"], (x["metrics"].get("psi") or {}).get("value")]
             for x in d["features"]],
        )  # fmt: skip
    q = r.get("quality")
    if q:
        flagged = [c for c in q["columns"] if c["status"] != "ok"]
        lines += [f"## Data quality: {q['status']}", ""]
        lines += _md_table(
            ["column", "status", "missing rate", "out of range"],
            [[c["column"], c["status"], c["missing_rate"], c["out_of_range"]] for c in flagged],
        ) if flagged else ["No column flagged.", ""]  # fmt: skip
    lines.append(f"_Generated {r['generated_at']}; report schema {r['schema_version']}._")
    return "\n".join(lines) + "\n"


def _md_rate(rate: float | None, iv: dict[str, float] | None) -> str | None:
    if rate is None:
        return None
    return f"{rate:.3f}" + ("" if not iv else f" [{iv['low']:.3f}, {iv['high']:.3f}]")


def _generative_markdown(g: dict[str, Any]) -> list[str]:
    lines = [f"## Generative-AI evaluation: {g['status']}", ""]
    lines.append(f"Pass: {g['pass_rule']}; intervals: {g['interval_method']}.")
    lines.append("")
    cells = [g["overall"], *g["by_category"], *g["by_group"]]
    lines += _md_table(
        ["scope", "test cases", "pass rate [interval]", "refusal rate [interval]"],
        [[_cell_label(c, g["group_column"]), c["n"], _md_rate(c["pass_rate"], c["pass_interval"]),
          _md_rate(c["refusal_rate"], c["refusal_interval"])] for c in cells],
    )  # fmt: skip
    gap = g.get("largest_group_gap")
    if gap:
        lines += [
            f"Largest group gap: {gap['gap']:.3f} in {gap['scope']} ({gap['lowest_group']} "
            f"against {gap['highest_group']}): {gap['status']}.",
            "",
        ]
    if g["comparisons"]:
        lines += _md_table(
            ["category", "baseline", "current", "change [interval]", "regression"],
            [[c["category"] or "all categories", c["baseline_rate"], c["current_rate"],
              _md_rate(c["change"], c["change_interval"]),
              "yes" if c["regression"] else "no"] for c in g["comparisons"]],
        )  # fmt: skip
    return lines


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
