"""Risks plug into the inventory's *needs review* mechanism: a change to their AI system (a new
model version, a new dataset, a changed purpose) flags them until they are reassessed. The helpers
below read and close flags of any subject (impact assessments use them too)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aimwell.inventory.models import AISystem, ReviewFlag
from aimwell.inventory.services.review import Dependent, register_dependents, resolve_subject

RISK_SUBJECT = "risks.risk"


@register_dependents
def _risks_of(system: AISystem) -> Iterable[Dependent]:
    from aimwell.risks.models import Risk

    for pk, reference, title in (
        Risk.objects.filter(system=system)
        .exclude(status="closed")
        .values_list("pk", "reference", "title")
    ):
        yield (RISK_SUBJECT, str(pk), f"Risk {reference} {title}")


def open_flags(subject_type: str, ids: Iterable[Any]) -> dict[str, list[ReviewFlag]]:
    """Open review flags per subject id, in one query."""
    keys = [str(i) for i in ids]
    found: dict[str, list[ReviewFlag]] = {}
    if not keys:
        return found
    for flag in ReviewFlag.objects.filter(
        subject_type=subject_type, subject_id__in=keys, resolved_at__isnull=True
    ).order_by("created_at"):
        found.setdefault(flag.subject_id, []).append(flag)
    return found


def flagged_ids(subject_type: str, organisation_id: Any) -> set[str]:
    return set(
        ReviewFlag.objects.filter(
            organisation_id=organisation_id, subject_type=subject_type, resolved_at__isnull=True
        ).values_list("subject_id", flat=True)
    )


def resolve(subject_type: str, subject_id: Any, *, actor: Any, note: str) -> int:
    return resolve_subject(subject_type, str(subject_id), actor=actor, note=note)
