"""Shared helpers of the operations services: audited create and update, references, members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from aimwell.accounts.models import Membership
from aimwell.core import references, writes
from aimwell.operations.errors import OperationsError


def fields_of(obj: models.Model) -> tuple[str, ...]:
    return tuple(getattr(obj, "AUDIT_FIELDS", ()))


def next_reference(model: type[models.Model], organisation: Any, prefix: str) -> str:
    """The next reference of the organisation (NC-001, NC-002, ...)."""
    return references.next_reference(model, organisation.pk, prefix)


DUPLICATE = "“{obj}” already exists; choose another name."


def save_new(obj: models.Model, *, actor: Any, action: str, extra: Iterable[str] = ()) -> None:
    """Insert the object and record its creation with the values of its audited fields."""
    writes.save_new(
        obj,
        actor=actor,
        action=action,
        fields=(*fields_of(obj), *extra),
        error=OperationsError,
        duplicate=DUPLICATE,
    )


def apply_changes(
    obj: models.Model, *, actor: Any, action: str, allowed: Iterable[str], **changes: Any
) -> dict[str, list[Any]]:
    """Set the allowed fields, save only what changed, and record the before/after."""
    return writes.apply_changes(
        obj,
        actor=actor,
        action=action,
        allowed=allowed,
        error=OperationsError,
        duplicate=DUPLICATE,
        **changes,
    )


def set_related(
    obj: models.Model, name: str, targets: Iterable[models.Model], *, actor: Any, action: str
) -> None:
    """Replace a many-to-many set, recording the ids before and after when they change."""
    writes.set_related(obj, name, targets, actor=actor, action=action, error=OperationsError)


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
