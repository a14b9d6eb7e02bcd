"""Shared helpers of the operations services: audited create and update, references, members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction

from aimwell.accounts.models import Membership
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.operations.errors import OperationsError


def fields_of(obj: models.Model) -> tuple[str, ...]:
    return tuple(getattr(obj, "AUDIT_FIELDS", ()))


def next_reference(model: type[models.Model], organisation: Any, prefix: str) -> str:
    """The next free reference of the organisation (NC-001, NC-002, ...)."""
    refs = model.objects.filter(  # type: ignore[attr-defined]
        organisation=organisation, reference__startswith=f"{prefix}-"
    ).values_list("reference", flat=True)
    numbers = [int(r.rsplit("-", 1)[1]) for r in refs if r.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def save_new(obj: models.Model, *, actor: Any, action: str, extra: Iterable[str] = ()) -> None:
    """Insert the object and record its creation with the values of its audited fields."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise OperationsError(f"“{obj}” already exists; choose another name.") from exc
    fields = (*fields_of(obj), *extra)
    record_for(obj, actor=actor, action=action, changes=diff({}, snapshot(obj, fields)))


def apply_changes(
    obj: models.Model, *, actor: Any, action: str, allowed: Iterable[str], **changes: Any
) -> dict[str, list[Any]]:
    """Set the allowed fields, save only what changed, and record the before/after."""
    allowed = tuple(allowed)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Not {type(obj).__name__} fields: {sorted(unknown)}")
    before = snapshot(obj, allowed)
    for name, value in changes.items():
        setattr(obj, name, value)
    changed = diff(before, snapshot(obj, allowed))
    if not changed:
        return changed
    try:
        with transaction.atomic():
            obj.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as exc:
        raise OperationsError(f"“{obj}” already exists; choose another name.") from exc
    record_for(obj, actor=actor, action=action, changes=changed)
    return changed


def set_related(
    obj: models.Model, name: str, targets: Iterable[models.Model], *, actor: Any, action: str
) -> None:
    """Replace a many-to-many set, recording the ids before and after when they change."""
    manager = getattr(obj, name)
    before = sorted(str(pk) for pk in manager.values_list("pk", flat=True))
    targets = list(targets)
    after = sorted(str(t.pk) for t in targets)
    if before == after:
        return
    for target in targets:
        if getattr(target, "organisation_id", obj.organisation_id) != obj.organisation_id:  # type: ignore[attr-defined]
            raise OperationsError("That belongs to another organisation.", field=name)
    manager.set(targets)
    record_for(obj, actor=actor, action=action, changes={name: [before, after]})


def member_of(organisation: Any, user: Any) -> Membership | None:
    if user is None:
        return None
    return (
        Membership.objects.active()
        .filter(organisation=organisation, user_id=getattr(user, "pk", user))
        .first()
    )


def require_member(organisation: Any, user: Any, field: str) -> None:
    if user is not None and member_of(organisation, user) is None:
        raise OperationsError("That person is not a member of this organisation.", field=field)
