"""Nonconformities and corrective action (10.2): correction, root cause, corrective actions with
owners and due dates, verification of effectiveness, and closure only after that verification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.improvement.choices import ActionStatus, Effectiveness, NCSource, NCStatus, Severity
from aimwell.improvement.models import Action, Nonconformity
from aimwell.management_review.models import ManagementReview
from aimwell.operations.errors import OperationsError
from aimwell.operations.writes import (
    apply_changes,
    next_reference,
    require_member,
    save_new,
    set_related,
)

EDITABLE = ("title", "description", "severity", "requirement", "owner", "due_date")


@transaction.atomic
def raise_nonconformity(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    description: str,
    source: str,
    severity: str = Severity.MINOR,
    owner: Any = None,
    due_date: dt.date | None = None,
    requirement: Any = None,
    systems: Iterable[Any] = (),
    finding: Any = None,
    incident: Any = None,
    concern: Any = None,
    review: ManagementReview | None = None,
    raised_on: dt.date | None = None,
) -> Nonconformity:
    if source not in NCSource.values:
        raise OperationsError(f"Unknown source {source!r}.", field="source")
    if severity not in Severity.values:
        raise OperationsError(f"Unknown severity {severity!r}.", field="severity")
    require_member(organisation, owner, "owner")
    nc = Nonconformity(
        organisation=organisation,
        reference=next_reference(Nonconformity, organisation, "NC"),
        title=title,
        description=description,
        source=source,
        severity=severity,
        owner=owner,
        due_date=due_date,
        requirement=requirement,
        finding=finding,
        incident=incident,
        concern=concern,
        review=review,
        raised_by=actor if getattr(actor, "is_authenticated", False) else None,
        raised_on=raised_on or timezone.localdate(),
    )
    save_new(nc, actor=actor, action="nonconformity.raised", extra=("source",))
    set_related(nc, "systems", systems, actor=actor, action="nonconformity.systems_changed")
    if owner is not None:
        from aimwell.notifications.services import notify

        notify(
            owner,
            organisation,
            kind="nonconformity.assigned",
            title=f"{nc.reference} was assigned to you: {nc.title}",
            url=f"/operations/nonconformities/{nc.pk}/",
            key=f"nc-assigned:{nc.pk}:{owner.pk}",
            due_date=due_date,
        )
    return nc


def _require_not_closed(nc: Nonconformity) -> None:
    if nc.status == NCStatus.CLOSED:
        raise OperationsError(f"{nc.reference} is closed; raise a new nonconformity instead.")


@transaction.atomic
def update_nonconformity(nc: Nonconformity, *, actor: Any, **changes: Any) -> Nonconformity:
    _require_not_closed(nc)
    if "owner" in changes:
        require_member(nc.organisation, changes["owner"], "owner")
    apply_changes(nc, actor=actor, action="nonconformity.updated", allowed=EDITABLE, **changes)
    return nc


@transaction.atomic
def record_correction(
    nc: Nonconformity, *, actor: Any, correction: str, done_on: dt.date | None = None
) -> Nonconformity:
    """What was done at once to control and correct the nonconformity (10.2 a)."""
    _require_not_closed(nc)
    if not correction.strip():
        raise OperationsError("Describe the correction.", field="correction")
    apply_changes(
        nc,
        actor=actor,
        action="nonconformity.corrected",
        allowed=("correction", "correction_done_on"),
        correction=correction,
        correction_done_on=done_on or timezone.localdate(),
    )
    return nc


@transaction.atomic
def record_root_cause(
    nc: Nonconformity, *, actor: Any, root_cause: str, method: str = ""
) -> Nonconformity:
    """Why it happened (10.2 b), found with a named method (five whys, fishbone, ...)."""
    _require_not_closed(nc)
    if not root_cause.strip():
        raise OperationsError("Describe the root cause.", field="root_cause")
    apply_changes(
        nc,
        actor=actor,
        action="nonconformity.root_cause",
        allowed=("root_cause", "root_cause_method"),
        root_cause=root_cause,
        root_cause_method=method,
    )
    return nc


def _action(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    description: str,
    owner: Any,
    due_date: dt.date | None,
    nonconformity: Nonconformity | None = None,
    review: ManagementReview | None = None,
) -> Action:
    if not title.strip():
        raise OperationsError("Name the action.", field="title")
    require_member(organisation, owner, "owner")
    action = Action(
        organisation=organisation,
        nonconformity=nonconformity,
        review=review,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
    )
    save_new(action, actor=actor, action="action.created")
    if owner is not None:
        from aimwell.notifications.services import notify

        notify(
            owner,
            organisation,
            kind="action.assigned",
            title=f"Action assigned to you: {title}",
            url=f"/operations/actions/{action.pk}/",
            key=f"action-assigned:{action.pk}:{owner.pk}",
            due_date=due_date,
        )
    return action


@transaction.atomic
def add_corrective_action(
    nc: Nonconformity,
    *,
    actor: Any,
    title: str,
    owner: Any,
    due_date: dt.date | None,
    description: str = "",
) -> Action:
    """An action to remove the cause (10.2 c); the root cause must be known first."""
    _require_not_closed(nc)
    if not nc.root_cause.strip():
        raise OperationsError(
            "Record the root cause before planning corrective action: the action must remove it."
        )
    action = _action(
        nc.organisation,
        actor=actor,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        nonconformity=nc,
    )
    changes: dict[str, Any] = {"status": NCStatus.ACTION}
    if nc.verification_result == Effectiveness.NOT_EFFECTIVE:
        changes.update(verification_result="", verified_by=None, verified_on=None)
    apply_changes(
        nc,
        actor=actor,
        action="nonconformity.action_planned",
        allowed=("status", "verification_result", "verified_by", "verified_on"),
        **changes,
    )
    return action


@transaction.atomic
def add_review_action(
    review: ManagementReview,
    *,
    actor: Any,
    title: str,
    owner: Any,
    due_date: dt.date | None,
    description: str = "",
) -> Action:
    """A decision of the management review that becomes a tracked action."""
    return _action(
        review.organisation,
        actor=actor,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        review=review,
    )


@transaction.atomic
def update_action(action: Action, *, actor: Any, **changes: Any) -> Action:
    if action.status != ActionStatus.OPEN:
        raise OperationsError("Only an open action can change.")
    if "owner" in changes:
        require_member(action.organisation, changes["owner"], "owner")
    apply_changes(
        action,
        actor=actor,
        action="action.updated",
        allowed=("title", "description", "owner", "due_date"),
        **changes,
    )
    return action


def _after_action_change(action: Action, actor: Any) -> None:
    nc = action.nonconformity
    if nc is None or nc.status == NCStatus.CLOSED:
        return
    statuses = list(nc.actions.values_list("status", flat=True))
    if statuses and ActionStatus.OPEN not in statuses and ActionStatus.DONE in statuses:
        apply_changes(
            nc,
            actor=actor,
            action="nonconformity.awaiting_verification",
            allowed=("status",),
            status=NCStatus.VERIFICATION,
        )


@transaction.atomic
def complete_action(
    action: Action, *, actor: Any, note: str = "", on: dt.date | None = None
) -> Action:
    if action.status != ActionStatus.OPEN:
        raise OperationsError("This action is not open.")
    apply_changes(
        action,
        actor=actor,
        action="action.completed",
        allowed=("status", "completed_on", "completion_note"),
        status=ActionStatus.DONE,
        completed_on=on or timezone.localdate(),
        completion_note=note,
    )
    _after_action_change(action, actor)
    return action


@transaction.atomic
def cancel_action(action: Action, *, actor: Any, reason: str) -> Action:
    if action.status != ActionStatus.OPEN:
        raise OperationsError("This action is not open.")
    if not reason.strip():
        raise OperationsError("Say why the action is cancelled.", field="reason")
    apply_changes(
        action,
        actor=actor,
        action="action.cancelled",
        allowed=("status", "completion_note"),
        status=ActionStatus.CANCELLED,
        completion_note=reason,
    )
    _after_action_change(action, actor)
    return action


@transaction.atomic
def verify_effectiveness(
    nc: Nonconformity,
    *,
    actor: Any,
    result: str,
    notes: str,
    on: dt.date | None = None,
) -> Nonconformity:
    """Did the corrective action work (10.2 d)? Someone other than the owner decides, after every
    action is done. Not effective sends the nonconformity back for further action."""
    _require_not_closed(nc)
    if result not in Effectiveness.values:
        raise OperationsError(f"Unknown result {result!r}.", field="result")
    if not notes.strip():
        raise OperationsError("Say what was checked to judge effectiveness.", field="notes")
    if nc.status != NCStatus.VERIFICATION:
        raise OperationsError(
            "Effectiveness can be verified only once the root cause is known and every corrective "
            "action is done."
        )
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None and actor_id == nc.owner_id:
        raise OperationsError(
            "The owner of a nonconformity cannot verify their own corrective action; ask an "
            "internal auditor or the AIMS manager."
        )
    changes: dict[str, Any] = {
        "verification_result": result,
        "verification_notes": notes,
        "verified_by": actor if actor_id is not None else None,
        "verified_on": on or timezone.localdate(),
    }
    if result == Effectiveness.NOT_EFFECTIVE:
        changes["status"] = NCStatus.ACTION
    apply_changes(
        nc,
        actor=actor,
        action="nonconformity.verified",
        allowed=(*changes.keys(),),
        **changes,
    )
    return nc


@transaction.atomic
def close_nonconformity(
    nc: Nonconformity, *, actor: Any, on: dt.date | None = None
) -> Nonconformity:
    """Close only what was corrected, understood, acted on and verified effective."""
    _require_not_closed(nc)
    missing = []
    if not nc.correction.strip():
        missing.append("the correction")
    if not nc.root_cause.strip():
        missing.append("the root cause")
    if not nc.actions.filter(status=ActionStatus.DONE).exists():
        missing.append("a completed corrective action")
    if nc.verification_result != Effectiveness.EFFECTIVE:
        missing.append("a verification that the corrective action was effective")
    if missing:
        raise OperationsError(f"{nc.reference} cannot be closed without {', '.join(missing)}.")
    apply_changes(
        nc,
        actor=actor,
        action="nonconformity.closed",
        allowed=("status", "closed_on"),
        status=NCStatus.CLOSED,
        closed_on=on or timezone.localdate(),
    )
    return nc
