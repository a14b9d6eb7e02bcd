"""What a person reads for the EU AI Act's codes: risk classes and article/annex references.

The classification rules and the catalog store references as ids (`art-6-2`, `annex-iii-4-a`);
pages, PDFs and exports show them through `act_reference` ("Article 6(2)", "Annex III, point
4(a)"), and risk classes through `risk_class_label`, from this one place.
"""

from __future__ import annotations

import re

RISK_CLASSES = {
    "prohibited": "Prohibited practice",
    "high_risk": "High risk",
    "limited_risk": "Limited risk (transparency duties)",
    "minimal_risk": "Minimal risk",
    "out_of_scope": "Outside the EU AI Act",
}

_REFERENCE = re.compile(r"^(art|annex)-([0-9a-z]+)((?:-[0-9a-z]+)*)$")


def risk_class_label(code: str) -> str:
    return RISK_CLASSES.get(code, code.replace("_", " ").capitalize())


def act_reference(ref: str) -> str:
    """`art-6` -> "Article 6", `art-6-2` -> "Article 6(2)", `art-6-2-a` -> "Article 6(2)(a)",
    `annex-iii` -> "Annex III", `annex-iii-4-a` -> "Annex III, point 4(a)"; anything else as is
    (a catalog urn such as `eu-ai-act:2024:art-26` is read by its last part)."""
    match = _REFERENCE.match(ref.rsplit(":", 1)[-1])
    if match is None:
        return ref
    kind, number, rest = match.groups()
    parts = [p for p in rest.split("-") if p]
    if kind == "art":
        return f"Article {number}" + "".join(f"({p})" for p in parts)
    label = f"Annex {number.upper()}"
    if parts:
        label += f", point {parts[0]}" + "".join(f"({p})" for p in parts[1:])
    return label


def act_references(refs: list[str]) -> str:
    return ", ".join(act_reference(ref) for ref in refs)
