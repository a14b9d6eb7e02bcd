"""The OSCAL documents of an organisation by name, as JSON bytes with a file name."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aimwell.interchange.oscal_assessments import (
    build_assessment_plan,
    build_assessment_results,
    build_poam,
)
from aimwell.interchange.oscal_common import document_href
from aimwell.interchange.oscal_controls import (
    build_component_definition,
    build_profile,
    build_ssp,
)

Builder = Callable[..., dict[str, Any]]

DOCUMENTS: dict[str, tuple[Builder, str]] = {
    "ssp": (build_ssp, "System security plan: scope, systems, control implementations"),
    "profile": (build_profile, "Profile: the SoA's Annex A selection and exclusions"),
    "component-definition": (
        build_component_definition,
        "Component definition: AI systems and suppliers with their controls",
    ),
    "assessment-plan": (build_assessment_plan, "Assessment plan: internal and external audits"),
    "assessment-results": (build_assessment_results, "Assessment results: audit findings"),
    "poam": (build_poam, "POA&M: open nonconformities and treatment actions with due dates"),
}
CONTENT_TYPE = "application/json"


class UnknownDocument(ValueError):
    pass


def build(kind: str, organisation: Any, *, at: datetime | None = None) -> dict[str, Any]:
    if kind not in DOCUMENTS:
        raise UnknownDocument(f"No OSCAL document {kind!r}; use one of {', '.join(DOCUMENTS)}.")
    return DOCUMENTS[kind][0](organisation, at=at)


def export_document(
    kind: str, organisation: Any, *, at: datetime | None = None
) -> tuple[bytes, str]:
    """The document's JSON bytes and its file name."""
    document = build(kind, organisation, at=at)
    content = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return content.encode("utf-8"), document_href(kind, organisation)
