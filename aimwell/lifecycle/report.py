"""The life-cycle part of the stage-1 certification pack: one section per AI system in scope, with
its records, its frozen V&V criteria and results, and its deployment gate (A.6.2.2-A.6.2.8)."""

from __future__ import annotations

from typing import Any

from aimwell.inventory.models import AISystem
from aimwell.lifecycle import status
from aimwell.lifecycle.choices import VVOutcome
from aimwell.lifecycle.models import SystemRecord
from aimwell.reports.data import Section, Table


def _record(obj: SystemRecord | None) -> str:
    if obj is None:
        return "not written"
    approved = (
        f", approved by {obj.approved_by_label} on {obj.approved_at:%Y-%m-%d}"
        if obj.approved_at
        else ""
    )
    return f"{obj.get_status_display()} (version {obj.version}{approved})"


def _facts(entry: status.SystemLifecycle) -> list[tuple[str, Any]]:
    plan = entry.plan
    frozen = (
        f"frozen {plan.frozen_at:%Y-%m-%d %H:%M} UTC by {plan.frozen_by_label}; criteria SHA-256 "
        f"{plan.criteria_sha256}"
        if plan is not None and plan.frozen_at
        else "no frozen plan"
    )
    approval = entry.approval
    approved = (
        f"approval {approval.number} for {approval.model_label} by {approval.approved_by_label} "
        f"on {approval.approved_at:%Y-%m-%d}: {entry.approval_state} ({entry.approval_reason})"
        if approval is not None
        else "not approved"
    )
    logging = entry.logging
    return [
        ("Life-cycle stage", entry.system.get_lifecycle_stage_display()),
        ("Requirements and specification (A.6.2.2)", _record(entry.requirements)),
        ("Design and development (A.6.2.3)", _record(entry.design)),
        (
            "Verification and validation (A.6.2.4)",
            f"{VVOutcome(entry.vv_outcome).label}; {frozen}",
        ),
        ("Deployment approval (A.6.2.5)", approved),
        ("Deployment gate", "open" if entry.gate_open else "missing: " + "; ".join(entry.missing)),
        (
            "Event logs (A.6.2.8)",
            f"{logging.retention_days} days in {logging.storage_location}"
            if logging
            else "no policy",
        ),
        ("Open change requests (6.3)", entry.open_changes),
    ]


CRITERIA_HEADERS = (
    "Criterion",
    "Kind",
    "Metric",
    "Threshold",
    "Group",
    "Latest result",
    "Measured on",
    "Status",
    "Residual-risk acceptance",
)


def sections(organisation: Any) -> list[Section]:
    systems = list(
        AISystem.objects.filter(organisation_id=organisation.pk, in_scope=True).order_by("name")
    )
    loaded = status.load(systems)
    out = []
    for system in systems:
        entry = loaded[system.pk]
        criteria = [
            [
                s.criterion.key,
                s.criterion.get_kind_display(),
                s.criterion.metric,
                f"{s.criterion.get_comparison_display()} {s.criterion.threshold:g}",
                s.criterion.group or "everyone",
                f"{s.latest.value:.4g}" if s.latest else "",
                s.latest.measured_on if s.latest else "",
                s.status,
                f"{s.acceptance.accepted_by_label}, level {s.acceptance.residual_level}: "
                f"{s.acceptance.rationale}"
                if s.acceptance
                else "",
            ]
            for s in entry.criteria
        ]
        gate = [[p.name, "yes" if p.met else "no", p.detail] for p in entry.preconditions]
        out.append(
            Section(
                f"lifecycle-{system.pk}",
                f"Life cycle: {system.name}",
                "Life cycle: the system's records, V&V plan and deployment gate",
                f"V&V {VVOutcome(entry.vv_outcome).label.lower()}; deployment approval "
                f"{entry.approval_state}.",
                facts=_facts(entry),
                tables=[
                    Table(
                        "Acceptance criteria (frozen) and results",
                        CRITERIA_HEADERS,
                        criteria,
                        pdf_columns=(0, 2, 3, 4, 5, 7),
                        empty="No acceptance criteria.",
                    ),
                    Table("Deployment gate preconditions", ("Precondition", "Met", "Why"), gate),
                ],
            )
        )
    return out
