"""Checks an OSCAL document two independent ways: compliance-trestle's pydantic models and the
NIST OSCAL JSON schema of its model (vendored in aimwell/interchange/schemas, see README there).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "oscal-1.1.3"
ROOTS = {
    "catalog": ("catalog", "trestle.oscal.catalog", "Catalog"),
    "profile": ("profile", "trestle.oscal.profile", "Profile"),
    "component-definition": ("component", "trestle.oscal.component", "ComponentDefinition"),
    "system-security-plan": ("ssp", "trestle.oscal.ssp", "SystemSecurityPlan"),
    "assessment-plan": ("assessment-plan", "trestle.oscal.assessment_plan", "AssessmentPlan"),
    "assessment-results": (
        "assessment-results",
        "trestle.oscal.assessment_results",
        "AssessmentResults",
    ),
    "plan-of-action-and-milestones": ("poam", "trestle.oscal.poam", "PlanOfActionAndMilestones"),
}


@cache
def _validator(schema: str) -> Any:
    import jsonschema_rs

    document = json.loads((SCHEMAS / f"oscal_{schema}_schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(document)


def schema_errors(document: dict[str, Any]) -> list[str]:
    (root,) = document
    schema = ROOTS[root][0]
    return [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in _validator(schema).iter_errors(document)
    ]


def trestle_model(document: dict[str, Any]) -> Any:
    import importlib

    (root,) = document
    _, module, name = ROOTS[root]
    model = getattr(importlib.import_module(module), name)
    return model.model_validate(document[root])


def assert_valid(document: dict[str, Any]) -> Any:
    errors = schema_errors(document)
    assert not errors, "\n".join(errors[:20])
    return trestle_model(document)
