"""A card's content as Markdown, as a PDF (WeasyPrint, from the same template as the page) and as
JSON: pure functions of the content and the version it belongs to."""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string

from aimwell.inventory.labels import act_references

NOT_RECORDED = "_Not recorded._"
STATUS_WORDS = {"met": "met", "partly": "partly met", "open": "open"}


def _para(value: str) -> str:
    return value.strip() if value and value.strip() else NOT_RECORDED


def _figure(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def to_markdown(content: dict[str, Any], version: dict[str, Any] | None = None) -> str:
    """The card as Markdown; `version` (number, published_at, sha256) heads a published card."""
    s, p = content["system"], content["purpose"]
    lim, people, ov = content["limitations"], content["people"], content["oversight"]
    out = [f"# AI system card: {s['name']}", ""]
    if version:
        out += [
            f"Version {version['number']}, published {version['published_at']}. "
            f"Content SHA-256 `{version['sha256']}`.",
            "",
        ]
    else:
        out += ["Draft generated from live data; not published.", ""]
    out += [
        f"Organisation: {s['organisation']}. Life-cycle stage: {s['lifecycle_stage']}."
        + (f" Where it is used: {s['geography']}." if s["geography"] else ""),
        "",
        "## Purpose and intended use",
        "",
        _para(p["purpose"]),
        "",
        "**Intended use.** " + _para(p["intended_use"]),
        "",
        "## Limitations and foreseeable misuse",
        "",
        "**Known limitations.** " + _para(lim["known_limitations"]),
        "",
        "**Foreseeable misuse.** " + _para(lim["foreseeable_misuse"]),
        "",
    ]
    for m in lim["model_limitations"]:
        out += [f"- {m['model']}: {m['limitations']}"]
    out += [
        "",
        "## Users and affected persons",
        "",
        "**Users.** " + _para(people["users"]),
        "",
        "**Affected persons.** " + _para(people["affected_persons"]),
        "",
        "**Vulnerable groups.** " + _para(people["vulnerable_groups"]),
        "",
        "## Human oversight",
        "",
        f"- Oversight: {ov['oversight_mode']}",
        f"- Autonomy: {ov['autonomy']}",
        f"- Impact of its decisions: {ov['decision_impact']}",
        "",
        "## Data and models",
        "",
    ]
    models, datasets = content["data"]["models"], content["data"]["datasets"]
    if not models and not datasets:
        out += [NOT_RECORDED, ""]
    for m in models:
        origin = m["origin"] + (f", from {m['supplier']}" if m["supplier"] else "")
        out += [
            f"- Model **{m['name']} {m['version']}** ({m['type'] or 'type not recorded'}; {origin})"
        ]
    for d in datasets:
        personal = "contains personal data" if d["personal_data"] else "no personal data recorded"
        out += [f"- Dataset **{d['name']}** (source: {d['source'] or 'not recorded'}; {personal})"]
    out += ["", "## Evaluation and monitoring", ""]
    if not content["evaluation"]:
        out += ["_No monitoring recorded._", ""]
    for e in content["evaluation"]:
        out += [f"### {e['monitor']}", "", f"Measures {', '.join(e['metrics']).lower()}; "
                f"{e['schedule'].lower()}.", ""]  # fmt: skip
        run = e["latest_run"]
        if run is None:
            out += ["_No finished run yet._", ""]
            continue
        figures = ", ".join(f"{m['measure']} {_figure(m['value'])}" for m in run["performance"])
        out += [
            f"Latest run #{run['number']} on {run['finished_on']}: outcome {run['outcome']}, "
            f"{run['rows']} rows" + (f"; {figures}" if figures else "") + ".",
            "",
        ]
        suite = run.get("evaluation_suite")
        if suite:
            out += _suite_markdown(suite)
        for f in run["fairness"]:
            out += [
                f"Fairness by {f['grouping']}: lowest selection-rate ratio "
                f"{_figure(f['parity_ratio'])} ({f['status']}).",
                "",
                "| group | rows | selection rate | true-positive rate | false-positive rate |",
                "|---|---:|---:|---:|---:|",
            ]
            for g in f["groups"]:
                out += [
                    f"| {g['group']}{'' if g['judged'] else ' (too few to judge)'} | {g['rows']} "
                    f"| {_figure(g['selection_rate'])} | {_figure(g['tpr'])} "
                    f"| {_figure(g['fpr'])} |"
                ]
            out += [""]
    out += ["## EU AI Act", ""]
    act = content["eu_ai_act"]
    if act is None:
        out += ["_Not classified yet._", ""]
    else:
        out += [
            f"Classification: **{act['risk_class_label']}** as {act['operator_role'].lower()} "
            f"(rules {act['rules_version']}, decided {act['decided_on']}).",
            "",
        ]
        if act["legal_basis"]:
            out += [f"Legal basis: {act_references(act['legal_basis'])}.", ""]
        if act["obligations"]:
            out += ["Obligations:", ""]
            out += [
                f"- {o['provision']}: {o['title']}"
                + (f" [{', '.join(o['roles'])}]" if o.get("roles") else "")
                + (f" (applies from {'; '.join(o['applies_from'])})" if o["applies_from"] else "")
                + (f" — {STATUS_WORDS.get(o['status'], o['status'])}" if o.get("status") else "")
                for o in act["obligations"]
            ]
            if act.get("compliance"):
                counts = act["compliance"]
                out += [
                    "",
                    f"Compliance matrix: {counts['met']} met, {counts['partly']} partly met, "
                    f"{counts['open']} open.",
                ]
            out += [""]
    if content.get("annex_iv"):
        out += ["## Technical documentation outline (EU AI Act Annex IV)", ""]
        for section in content["annex_iv"]:
            out += [f"### {section['title']} ({section['status']})", ""]
            out += [f"- {item}" for item in section["items"]]
            out += [f"- **To complete:** {item}" for item in section["to_complete"]]
            out += [""]
    return "\n".join(out).rstrip() + "\n"


def to_json(content: dict[str, Any], version: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {"version": version, "card": content}, indent=2, ensure_ascii=False, sort_keys=True
    )


def to_pdf(content: dict[str, Any], version: dict[str, Any] | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "transparency/card_pdf.html", {"card": content, "version": version, "internal": True}
    )
    return HTML(string=html).write_pdf()


def _suite_markdown(suite: dict[str, Any]) -> list[str]:
    """A generative system's evaluation run as a table of pass and refusal rates."""
    against = f" against {suite['baseline']}" if suite["baseline"] else ""
    regressed = ", ".join(suite["regressions"]) or "none"
    out = [
        f"Evaluation suite: a test case passes when {suite['pass_rule']}; "
        f"{suite['interval_method']} intervals; regressions{against}: {regressed}.",
        "",
        "| scope | test cases | pass rate | interval | refusal rate |",
        "|---|---:|---:|---|---:|",
    ]
    for r in suite["rows"]:
        out += [
            f"| {r['scope']}{'' if r['judged'] else ' (too few to judge)'} | {r['test_cases']} "
            f"| {_figure(r['pass_rate'])} | [{_figure(r['pass_low'])}, {_figure(r['pass_high'])}] "
            f"| {_figure(r['refusal_rate'])} |"
        ]
    return [*out, ""]
