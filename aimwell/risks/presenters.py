"""A risk as the API answers it (RiskDetailOut): its fields, its review state, actions, controls
and history; shared by the risk endpoints and the step that raises a risk from an impact
assessment."""

from __future__ import annotations

from typing import Any

from aimwell.risks import querysets
from aimwell.risks.models import Risk


def risk_payload(risk: Risk) -> dict[str, Any]:
    detail = querysets.risk_detail(risk)
    return {
        **{f: getattr(risk, f) for f in RISK_FIELDS},
        "risk": risk,
        "review_overdue": risk.review_overdue,
        "needs_review": bool(detail["flags"]),
        "actions": detail["actions"],
        "controls": detail["controls"],
        "history": detail["assessments"],
        "review_flags": detail["flags"],
    }


RISK_FIELDS = (
    "id",
    "reference",
    "title",
    "system_id",
    "status",
    "inherent_likelihood",
    "inherent_consequence",
    "inherent_level",
    "treatment_option",
    "residual_likelihood",
    "residual_consequence",
    "residual_level",
    "review_date",
    "description",
    "causes",
    "consequences",
    "existing_controls",
    "treatment_plan",
    "accepted_by_label",
    "accepted_at",
    "accepted_level",
    "acceptance_note",
)


def risk_out(risk: Risk) -> dict[str, Any]:
    data = risk_payload(risk)
    data.update(
        system=risk.system.name if risk.system_id else None,  # type: ignore[union-attr]
        source=risk.source_label,
        objective=risk.objective_label,
        owner=risk.owner.email if risk.owner_id else None,  # type: ignore[union-attr]
        method_version=risk.method.version,
        inherent_band=risk.method.band(risk.inherent_level)["name"],
    )
    return data
