"""The risk register with its treatment plan, as xlsx, PDF and CSV (streamed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from aimwell.controls import printing
from aimwell.core import tabular
from aimwell.risks.choices import RiskStatus, TreatmentOption
from aimwell.risks.models import Risk, RiskMethod, SelectedControl, TreatmentAction

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
        .order_by(*_ORDER)
    )


def _controls(organisation: Any) -> dict[Any, list[str]]:
    found: dict[Any, list[str]] = {}
    for selection in SelectedControl.objects.filter(organisation_id=organisation.pk).select_related(
        "node", "custom"
    ):
        ref = selection.node.ref_id if selection.node_id else selection.custom.code
        found.setdefault(selection.risk_id, []).append(ref)
    return found


def _actions(organisation: Any) -> list[TreatmentAction]:
    return list(
        TreatmentAction.objects.filter(organisation_id=organisation.pk)
        .select_related("risk", "owner")
        .order_by("risk__sequence", "risk__reference", "due_date")
    )


def _consequences(consequences: dict[str, Any]) -> str:
    return "; ".join(
        f"{key}: {value.get('rating')} {value.get('description', '')}".strip()
        for key, value in consequences.items()
    )


# The register's columns as plain values (no model instances: at 100,000 risks building each
# risk with five related objects, and decoding its method's JSON every time, was most of the cost).
# The risk's and its method's keys are read as text: they only join the two streams and find the
# method, and turning 200,000 of them into UUIDs cost more than writing their rows.
_COLUMNS = (
    "key",
    "reference",
    "title",
    "system__name",
    "risk_source__ref_id",
    "risk_source__title",
    "custom_source",
    "objective__ref_id",
    "objective__title",
    "objective_text",
    "causes",
    "consequences",
    "existing_controls",
    "method_key",
    "inherent_likelihood",
    "inherent_consequence",
    "inherent_level",
    "owner__email",
    "review_date",
    "treatment_option",
    "treatment_plan",
    "residual_likelihood",
    "residual_consequence",
    "residual_level",
    "status",
    "accepted_by_label",
    "accepted_at",
)
_ORDER = ("sequence", "reference")
_CHUNK = 2000


def register_rows(organisation: Any) -> list[list[Any]]:
    """The register's rows as a list (the xlsx workbook and the certification pack)."""
    return list(register_stream(organisation))


def _key(field: str) -> Cast:
    return Cast(field, output_field=CharField())


def register_stream(organisation: Any) -> Iterator[list[Any]]:
    """The register's rows, one risk at a time: two streams in the same order (the risks, and
    their selected controls) merged as they are read, each risk method decoded once, so memory
    stays flat and the number of queries does not grow with the register.

    The querysets are built here, before the first row is asked for: a streamed response reads
    its rows after the view has returned, outside the request's guest confinement, and a
    queryset carries the confinement it was created under (core.guests)."""
    methods = {
        m.key: m
        for m in RiskMethod.objects.filter(organisation_id=organisation.pk).annotate(key=_key("pk"))
    }
    risks = (
        Risk.objects.filter(organisation_id=organisation.pk)
        .annotate(key=_key("pk"), method_key=_key("method_id"))
        .order_by(*_ORDER)
        .values_list(*_COLUMNS)
    )
    selections = (
        SelectedControl.objects.filter(organisation_id=organisation.pk)
        .annotate(risk_key=_key("risk_id"))
        .order_by(*(f"risk__{field}" for field in _ORDER), "created_at")
        .values_list("risk_key", "node__ref_id", "custom__code")
    )
    return _merged_rows(methods, risks, selections)


def _merged_rows(methods: dict[str, Any], risks: Any, selections: Any) -> Iterator[list[Any]]:
    treatments = dict(TreatmentOption.choices)
    statuses = dict(RiskStatus.choices)
    bands: dict[tuple[str, int], str] = {}
    controls_of = iter(selections.iterator(chunk_size=_CHUNK))
    pending = next(controls_of, None)
    for (
        key,
        reference,
        title,
        system_name,
        source,
        source_title,
        custom_source,
        objective,
        objective_title,
        objective_text,
        causes,
        consequences,
        existing_controls,
        method_key,
        inherent_likelihood,
        inherent_consequence,
        inherent_level,
        owner_email,
        review_date,
        treatment_option,
        treatment_plan,
        residual_likelihood,
        residual_consequence,
        residual_level,
        status,
        accepted_by_label,
        accepted_at,
    ) in risks.iterator(chunk_size=_CHUNK):
        controls = []
        while pending is not None and pending[0] == key:
            controls.append(pending[1] or pending[2])
            pending = next(controls_of, None)
        method = methods[method_key]
        band = bands.get((method_key, inherent_level))
        if band is None:
            band = bands[method_key, inherent_level] = method.band(inherent_level)["name"]
        yield [
            reference,
            title,
            system_name or "Organisation-wide",
            f"{source} {source_title}" if source else custom_source or "—",
            f"{objective} {objective_title}" if objective else objective_text or "—",
            causes,
            _consequences(consequences or {}),
            existing_controls,
            str(method),
            inherent_likelihood,
            inherent_consequence,
            inherent_level,
            band,
            owner_email or "",
            review_date,
            treatments.get(treatment_option, treatment_option),
            treatment_plan,
            controls,
            residual_likelihood,
            residual_consequence,
            residual_level,
            statuses.get(status, status),
            accepted_by_label,
            accepted_at,
        ]


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
        chunks = tabular.csv_stream(REGISTER_HEADERS, register_stream(organisation))
        return tabular.streamed_download(chunks, f"risk-register-{stamp}.csv", "csv")
    if fmt == "pdf":
        return tabular.download(register_pdf(organisation), f"risk-register-{stamp}.pdf", "pdf")
    return tabular.download(register_xlsx(organisation), f"risk-register-{stamp}.xlsx", "xlsx")
