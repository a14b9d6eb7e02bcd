"""The *needs review* mechanism: when something an AI system depends on changes, everything that
was decided about the system (its classification, risk and impact assessments, approvals: each
feature registers a finder here) is flagged with the reason until someone reviews it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.core.audit import PendingEvent, diff, pending_for, record_events
from aimwell.inventory.models import AISystem, ReviewFlag

# A dependent is (subject type, subject id, label) of something decided about a system.
Dependent = tuple[str, str, str]
DependentFinder = Callable[[AISystem], Iterable[Dependent]]
_FINDERS: list[DependentFinder] = []


def register_dependents(finder: DependentFinder) -> DependentFinder:
    """Later features call this with a function listing their decisions about a system."""
    _FINDERS.append(finder)
    return finder


def raise_reviews(systems: Iterable[AISystem], *, reason: str, actor: Any) -> list[ReviewFlag]:
    """Flag everything decided about these systems; a subject already flagged open is kept."""
    flags: list[ReviewFlag] = []
    events: dict[Any, list[PendingEvent]] = {}
    label = str(getattr(actor, "email", None) or actor or "system")
    for system in systems:
        open_subjects = set(
            ReviewFlag.objects.filter(system=system, resolved_at__isnull=True).values_list(
                "subject_type", "subject_id"
            )
        )
        for finder in _FINDERS:
            for subject_type, subject_id, subject_label in finder(system):
                if (subject_type, subject_id) in open_subjects:
                    continue
                flag = ReviewFlag.objects.create(
                    organisation_id=system.organisation_id,
                    system=system,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    subject_label=subject_label,
                    reason=reason[:500],
                    raised_by_label=label,
                )
                flags.append(flag)
                events.setdefault(system.organisation_id, []).append(
                    pending_for(flag, action="review.raised", changes={"reason": [None, reason]})
                )
    for organisation_id, pending in events.items():
        record_events(organisation_id=organisation_id, actor=actor, events=pending)
    return flags


@transaction.atomic
def resolve_review(flag: ReviewFlag, *, actor: Any, note: str) -> ReviewFlag:
    if flag.resolved_at is not None:
        return flag
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
    flag.resolution_note = note[:500]
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note", "updated_at"])
    record_events(
        organisation_id=flag.organisation_id,
        actor=actor,
        events=[
            pending_for(
                flag,
                action="review.resolved",
                changes=diff({"resolved": False}, {"resolved": True, "note": note}),
            )
        ],
    )
    return flag


def resolve_subject(subject_type: str, subject_id: str, *, actor: Any, note: str) -> int:
    """Close every open flag on one subject (e.g. when the system is classified again)."""
    flags = ReviewFlag.objects.filter(
        subject_type=subject_type, subject_id=subject_id, resolved_at__isnull=True
    )
    count = 0
    for flag in flags:
        resolve_review(flag, actor=actor, note=note)
        count += 1
    return count
