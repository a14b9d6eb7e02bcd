"""The list of rules in docs/pre-audit-check.md is generated from the registry
(`python scripts/pre_audit_rules.py write`); a test fails when the file and the registry differ."""

from __future__ import annotations

from aimwell.consistency.registry import AREA_LABELS, RULES, SEVERITY_LABELS, Area

BEGIN = "<!-- rules: generated from aimwell/consistency/rules, do not edit by hand -->"
END = "<!-- end of rules -->"


def rules_markdown() -> str:
    lines = [BEGIN, ""]
    for area in Area:
        rules = [r for r in RULES.values() if r.area == area]
        lines += [f"### {AREA_LABELS[area]}", ""]
        for r in rules:
            lines += [
                f"#### `{r.key}`: {r.title}",
                "",
                f"- Protects: {r.clause}",
                f"- Severity: {SEVERITY_LABELS[r.severity]}",
                f"- Example: {r.example}",
                f"- Fix: {r.fix}",
                "",
            ]
    lines.append(END)
    return "\n".join(lines)


def with_rules(document: str) -> str:
    """The document with its generated section replaced by the current list."""
    start, end = document.index(BEGIN), document.index(END) + len(END)
    return document[:start] + rules_markdown() + document[end:]
