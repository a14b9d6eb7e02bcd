"""The risk register with its treatment plan, as xlsx and PDF."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aimwell.controls import printing
from aimwell.core import tabular
from aimwell.risks.models import Risk, SelectedControl, TreatmentAction

REGISTER_HEADERS = (
    "Reference",
    "Title",
    "AI system",
    "Risk source",
    "Objective threatened",
    "Causes",
    "Consequences",
    "Existing controls",
    "Method",
    "Inherent L",
    "Inherent C",
    "Inherent level",
    "Band",
    "Owner",
    "Review date",
    "Treatment",
    "Treatment plan",
    "Selected controls",
    "Residual L",
    "Residual C",
    "Residual level",
    "Status",
    "Accepted by",
    "Accepted at",
)
ACTION_HEADERS = ("Risk", "Action", "Owner", "Due", "Status", "Overdue")


def _risks(organisation: Any) -> list[Risk]:
    return list(
        Risk.objects.filter(organisation_id=organisation.pk)
        .select_related("system", "owner", "method", "risk_source", "objective")
        .order_by("reference")
    )


def _controls(organisation: Any) -> dict[Any, list[str]]:
    found: dict[Any, list[str]] = {}
    for selection in SelectedControl.objects.filter(organisation_id=organisation.pk).select_related(
        "node", "custom"
    ):
        ref = selection.node.ref_id if selection.node_id else selection.custom.code  # type: ignore[union-attr]
        found.setdefault(selection.risk_id, []).append(ref)
    return found


def _actions(organisation: Any) -> list[TreatmentAction]:
    return list(
        TreatmentAction.objects.filter(organisation_id=organisation.pk)
        .select_related("risk", "owner")
        .order_by("risk__reference", "due_date")
    )


def _consequences(risk: Risk) -> str:
    return "; ".join(
        f"{key}: {value.get('rating')} {value.get('description', '')}".strip()
        for key, value in risk.consequences.items()
    )


def register_rows(organisation: Any) -> list[list[Any]]:
    controls = _controls(organisation)
    rows = []
    for r in _risks(organisation):
        rows.append(
            [
                r.reference,
                r.title,
                r.system.name if r.system_id else "Organisation-wide",  # type: ignore[union-attr]
                r.source_label,
                r.objective_label,
                r.causes,
                _consequences(r),
                r.existing_controls,
                str(r.method),
                r.inherent_likelihood,
                r.inherent_consequence,
                r.inherent_level,
                r.method.band(r.inherent_level)["name"],
                r.owner.email if r.owner_id else "",  # type: ignore[union-attr]
                r.review_date,
                r.get_treatment_option_display(),
                r.treatment_plan,
                controls.get(r.pk, []),
                r.residual_likelihood,
                r.residual_consequence,
                r.residual_level,
                r.get_status_display(),
                r.accepted_by_label,
                r.accepted_at,
            ]
        )
    return rows


def action_rows(organisation: Any) -> list[list[Any]]:
    return [
        [
            a.risk.reference,
            a.title,
            a.owner.email if a.owner_id else "",  # type: ignore[union-attr]
            a.due_date,
            a.get_status_display(),
            a.is_overdue,
        ]
        for a in _actions(organisation)
    ]


def register_xlsx(organisation: Any) -> bytes:
    return tabular.workbook(
        [
            ("Risk register", REGISTER_HEADERS, register_rows(organisation)),
            ("Treatment plan", ACTION_HEADERS, action_rows(organisation)),
        ]
    )


def register_pdf(organisation: Any) -> bytes:
    return printing.pdf(
        "risks/pdf_register.html",
        {
            "organisation": organisation,
            "risks": _risks(organisation),
            "controls": _controls(organisation),
            "actions": _actions(organisation),
            "generated": timezone.now(),
        },
    )


def response(organisation: Any, fmt: str) -> Any:
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        data = tabular.csv_bytes(REGISTER_HEADERS, register_rows(organisation))
        return tabular.download(data, f"risk-register-{stamp}.csv", "csv")
    if fmt == "pdf":
        return tabular.download(register_pdf(organisation), f"risk-register-{stamp}.pdf", "pdf")
    return tabular.download(register_xlsx(organisation), f"risk-register-{stamp}.xlsx", "xlsx")
