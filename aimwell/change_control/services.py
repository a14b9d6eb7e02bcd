"""Planning of changes (clause 6.3): change requests to the AIMS or to an AI system, from the
reason and the impacts to the decision, the implementation and the review after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.accounts.roles import Capability, can
from aimwell.change_control.choices import ChangeScope, ChangeStatus
from aimwell.change_control.errors import ChangeError, ChangeNotAuthorised
from aimwell.change_control.models import ChangeRequest
from aimwell.core import references, writes
from aimwell.inventory.services.review import raise_reviews
from aimwell.lifecycle.services.common import label_of, record_evidence, user_of

EDITABLE = (ChangeStatus.DRAFT, ChangeStatus.SUBMITTED)


def _next_reference(organisation: Any) -> str:
    return references.next_reference(ChangeRequest, organisation.pk, "CR")


def _check(values: dict[str, Any], organisation_id: Any) -> None:
    scope = values.get("scope")
    system = values.get("system")
    if scope not in ChangeScope.values:
        raise ChangeError(f"Scope must be one of {', '.join(ChangeScope.values)}.", "scope")
    if scope == ChangeScope.SYSTEM and system is None:
        raise ChangeError("Name the AI system the change is to.", "system_id")
    if system is not None and system.organisation_id != organisation_id:
        raise ChangeError("No such AI system in this organisation.", "system_id")
    if scope == ChangeScope.AIMS:
        values["system"] = None
    for name in ("title", "reason", "what_changes"):
        if name in values and not (values[name] or "").strip():
            raise ChangeError(f"The {name.replace('_', ' ')} is required.", name)
    planned, review = values.get("planned_for"), values.get("review_after")
    if planned and review and review < planned:
        raise ChangeError("The review comes after the planned implementation.", "review_after")


@transaction.atomic
def create_change(organisation: Any, *, actor: Any, **values: Any) -> ChangeRequest:
    _check(values, organisation.pk)
    values.setdefault("owner", user_of(actor))
    change = ChangeRequest(
        organisation_id=organisation.pk, reference=_next_reference(organisation), **values
    )
    writes.save_new(
        change,
        actor=actor,
        action="change.created",
        fields=ChangeRequest.FIELDS,
        error=ChangeError,
    )
    return change


@transaction.atomic
def update_change(change: ChangeRequest, *, actor: Any, **changes: Any) -> ChangeRequest:
    if change.status not in EDITABLE:
        raise ChangeError(
            f"{change.reference} is {change.get_status_display().lower()}: its content is settled."
        )
    merged = {f: getattr(change, f) for f in ("scope", "system", "planned_for", "review_after")}
    merged.update(changes)
    _check(merged, change.organisation_id)
    if "scope" in changes or "system" in changes:
        changes["system"] = merged["system"]
    changed = writes.apply_changes(
        change,
        actor=actor,
        action="change.updated",
        allowed=ChangeRequest.FIELDS,
        error=ChangeError,
        **changes,
    )
    if changed:
        writes.apply_changes(
            change,
            actor=actor,
            action="change.versioned",
            allowed=("version",),
            error=ChangeError,
            version=change.version + 1,
        )
    return change


def _move(change: ChangeRequest, actor: Any, action: str, **values: Any) -> None:
    writes.apply_changes(
        change,
        actor=actor,
        action=action,
        allowed=tuple(values),
        error=ChangeError,
        **values,
    )


@transaction.atomic
def submit_change(change: ChangeRequest, *, actor: Any) -> ChangeRequest:
    if change.status != ChangeStatus.DRAFT:
        raise ChangeError(f"Only a draft can be submitted; {change.reference} is {change.status}.")
    _move(
        change,
        actor,
        "change.submitted",
        status=ChangeStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return change


def decision_refusal(membership: Any) -> str | None:
    if membership is None or not can(membership, Capability.MANAGE_AIMS):
        return "Changes are decided by an AIMS manager or an admin."
    return None


@transaction.atomic
def decide_change(
    change: ChangeRequest, *, approve: bool, actor: Any, membership: Any, note: str = ""
) -> ChangeRequest:
    """Approve or reject a submitted change. An approved change to an AI system flags everything
    decided about that system for review (classification, assessments, deployment approval)."""
    if change.status != ChangeStatus.SUBMITTED:
        raise ChangeError(f"Submit {change.reference} before deciding it.")
    refusal = decision_refusal(membership)
    if refusal:
        raise ChangeNotAuthorised(refusal)
    _move(
        change,
        actor,
        "change.approved" if approve else "change.rejected",
        status=ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED,
        decided_by=user_of(actor),
        decided_by_label=label_of(actor),
        decided_at=timezone.now(),
        decision_note=note[:500],
    )
    if approve and change.system is not None:
        raise_reviews(
            [change.system],
            actor=actor,
            reason=f"change {change.reference} approved: {change.title}",
        )
    if approve:
        record_evidence(
            change,
            ref="6.3",
            title=f"Change {change.reference} approved",
            payload={
                "change": str(change),
                "scope": change.scope,
                "system": change.system.name if change.system else None,
                "reason": change.reason,
                "what_changes": change.what_changes,
                "impacts": {
                    "risks": change.impact_on_risks,
                    "assessments": change.impact_on_assessments,
                    "soa": change.impact_on_soa,
                    "documents": change.impact_on_documents,
                },
                "decided_by": change.decided_by_label,
                "decided_at": change.decided_at,
            },
            actor=actor,
        )
    return change


@transaction.atomic
def implement_change(
    change: ChangeRequest, *, actor: Any, on: dt.date | None = None
) -> ChangeRequest:
    if change.status != ChangeStatus.APPROVED:
        raise ChangeError(
            f"Only an approved change is implemented; {change.reference} is {change.status}."
        )
    on = on or timezone.localdate()
    if change.decided_at and on < change.decided_at.date():
        raise ChangeError("A change is implemented after it was approved.", "implemented_on")
    _move(change, actor, "change.implemented", status=ChangeStatus.IMPLEMENTED, implemented_on=on)
    return change


@transaction.atomic
def review_change(
    change: ChangeRequest, *, actor: Any, note: str, on: dt.date | None = None
) -> ChangeRequest:
    if change.status != ChangeStatus.IMPLEMENTED:
        raise ChangeError("Review a change once it is implemented.")
    if not note.strip():
        raise ChangeError("Say what the review found.", "note")
    on = on or timezone.localdate()
    if change.implemented_on and on < change.implemented_on:
        raise ChangeError("The review comes after the implementation.", "reviewed_on")
    _move(
        change,
        actor,
        "change.reviewed",
        status=ChangeStatus.REVIEWED,
        reviewed_on=on,
        review_note=note.strip(),
    )
    return change
