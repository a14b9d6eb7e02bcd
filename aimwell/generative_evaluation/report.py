"""The generative-AI evaluation section of the HTML and Markdown reports."""

from __future__ import annotations

from html import escape
from typing import Any

from aimwell.assurance.report_tables import html_table, md_table, status_badge


def rate_text(rate: float | None, iv: dict[str, float] | None) -> str:
    """A rate with its interval, escaped (for a raw cell)."""
    if rate is None:
        return "&ndash;"
    return escape(f"{rate:.3f}" + ("" if not iv else f" [{iv['low']:.3f}, {iv['high']:.3f}]"))


def md_rate(rate: float | None, iv: dict[str, float] | None) -> str | None:
    if rate is None:
        return None
    return f"{rate:.3f}" + ("" if not iv else f" [{iv['low']:.3f}, {iv['high']:.3f}]")


def _cell_label(c: dict[str, Any], group_column: str | None) -> str:
    parts = []
    if c["level"] in ("category", "category_group"):
        parts.append(f"category={c['category']}")
    if c["level"] in ("group", "category_group"):
        parts.append(f"{group_column}={'null' if c['group'] is None else c['group']}")
    return ", ".join(parts) or "overall"


def _group_rate(group: str | None, rate: float | None) -> str | None:
    return None if rate is None else f"{group} {rate:.3f}"


def generative_html(g: dict[str, Any]) -> str:
    out = (
        f"<p>A test case passes when {escape(g['pass_rule'])}. Intervals: "
        f"{escape(g['interval_method'])}; cells with fewer than {g['min_group_size']} test "
        f"cases are not judged; a group gap above {g['threshold_pass_gap']} with intervals "
        "apart is a warning, a regression (current interval entirely below the baseline's) "
        "an alert.</p>"
    )
    refusals = g["refusal_column"] is not None
    cells = [g["overall"], *g["by_category"], *g["by_group"], *g["by_category_group"]]
    out += html_table(
        ["scope", "test cases", "no outcome", "passed", "pass rate [interval]", "judged",
         *(["refused", "refusal rate [interval]"] if refusals else [])],
        [[_cell_label(c, g["group_column"]), c["n"], c["n_excluded"], c["passed"],
          rate_text(c["pass_rate"], c["pass_interval"]), "yes" if c["judged"] else "no (too small)",
          *([c["refused"], rate_text(c["refusal_rate"], c["refusal_interval"])]
            if refusals else [])]
         for c in cells],
        raw={4, 7},
    )  # fmt: skip
    if g["group_gaps"]:
        out += "<p class='muted'>Pass-rate gaps between groups</p>" + html_table(
            ["scope", "status", "groups (judged)", "highest", "lowest", "gap", "intervals overlap",
             "reasons"],
            [[x["scope"], status_badge(x["status"]), f"{x['n_groups']} ({x['n_groups_judged']})",
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
        out += html_table(
            ["category", "baseline", "current", "change [interval]", "judged", "verdict"],
            [[c["category"] or "all categories",
              rate_text(c["baseline_rate"], c["baseline_interval"]) + f" (n={c['baseline_n']})",
              rate_text(c["current_rate"], c["current_interval"]) + f" (n={c['current_n']})",
              rate_text(c["change"], c["change_interval"]), "yes" if c["judged"] else "no",
              "regression" if c["regression"] else "improvement" if c["improvement"] else
              "no significant change"]
             for c in g["comparisons"]],
            raw={1, 2, 3},
        )  # fmt: skip
    return out


def generative_markdown(g: dict[str, Any]) -> list[str]:
    lines = [f"## Generative-AI evaluation: {g['status']}", ""]
    lines.append(f"Pass: {g['pass_rule']}; intervals: {g['interval_method']}.")
    lines.append("")
    cells = [g["overall"], *g["by_category"], *g["by_group"]]
    lines += md_table(
        ["scope", "test cases", "pass rate [interval]", "refusal rate [interval]"],
        [[_cell_label(c, g["group_column"]), c["n"], md_rate(c["pass_rate"], c["pass_interval"]),
          md_rate(c["refusal_rate"], c["refusal_interval"])] for c in cells],
    )  # fmt: skip
    gap = g.get("largest_group_gap")
    if gap:
        lines += [
            f"Largest group gap: {gap['gap']:.3f} in {gap['scope']} ({gap['lowest_group']} "
            f"against {gap['highest_group']}): {gap['status']}.",
            "",
        ]
    if g["comparisons"]:
        lines += md_table(
            ["category", "baseline", "current", "change [interval]", "regression"],
            [[c["category"] or "all categories", c["baseline_rate"], c["current_rate"],
              md_rate(c["change"], c["change_interval"]),
              "yes" if c["regression"] else "no"] for c in g["comparisons"]],
        )  # fmt: skip
    return lines
