"""What the life-cycle records answer in a high-risk system's technical-documentation outline
(EU AI Act Annex IV, shown on the system card; ISO/IEC 42001 A.6.2.7). Plain text lines only, no
people's names or ids, so the card's hash stays stable for the same records."""

from __future__ import annotations

from typing import Any

from aimwell.change_control.models import ChangeRequest
from aimwell.lifecycle import status
from aimwell.lifecycle.choices import RecordStatus


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def facts(systems: list[Any]) -> dict[Any, dict[str, list[str]]]:
    """Per system id: lines for the outline's sections, keyed by section number."""
    loaded = status.load(systems)
    changes: dict[Any, list[str]] = {}
    for c in ChangeRequest.objects.filter(system_id__in=[s.pk for s in systems]).order_by(
        "reference"
    ):
        changes.setdefault(c.system_id, []).append(
            f"{c.reference} {c.title} ({c.get_status_display().lower()})."
        )
    out: dict[Any, dict[str, list[str]]] = {}
    for system in systems:
        entry = loaded[system.pk]
        lines: dict[str, list[str]] = {}
        design = entry.design
        if design is not None and design.status == RecordStatus.APPROVED:
            lines["2"] = [
                f"{label}: {_clean(getattr(design, field))}"
                for label, field in (
                    ("Architecture", "architecture"),
                    ("Design choices and reasons", "model_choices"),
                    ("Assumptions", "assumptions"),
                    ("Alternatives rejected", "alternatives_rejected"),
                    ("Build tooling", "build_tooling"),
                    ("Computing resources", "compute"),
                )
                if getattr(design, field)
            ]
            if design.human_oversight_design:
                lines["4"] = [f"Oversight design: {_clean(design.human_oversight_design)}"]
            if design.standards_applied:
                lines["10"] = [f"Applied: {_clean(design.standards_applied)}"]
        spec = entry.requirements
        if spec is not None and spec.status == RecordStatus.APPROVED:
            lines["7"] = [
                _clean(text)
                for text in (spec.performance_requirements, spec.fairness_requirements)
                if text
            ]
        if entry.plan is not None and entry.plan.is_frozen:
            lines["6"] = [
                f"{s.criterion} ({s.criterion.get_kind_display().lower()}): {s.status}"
                + (f", measured {s.latest.value:.4g} on {s.latest.measured_on}" if s.latest else "")
                + "."
                for s in entry.criteria
            ]
            lines["robustness"] = [
                s.criterion.key
                for s in entry.criteria
                if s.criterion.kind == "robustness" and s.status in ("passed", "accepted")
            ]
        if system.pk in changes:
            lines["9"] = changes[system.pk]
        if entry.logging is not None:
            lines["12"] = [
                f"Event logs: {_clean(entry.logging.events_logged)} Kept "
                f"{entry.logging.retention_days} days ({entry.logging.storage_location})."
            ]
        out[system.pk] = lines
    return out
