"""The audited writes that services of every app make: insert an object, change some of its
fields, replace a many-to-many set. Each saves only what changed and records the before and after
in the audit trail. Conflicts (a duplicate, another organisation's object) are raised as the
calling app's own domain error, whose constructor takes `(message, field=None)`, so pages, the
API and the CLI show them as they show the app's other messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction

from aimwell.core.audit import diff, record_for, snapshot

DomainError = Callable[..., Exception]
DUPLICATE = "“{obj}” already exists."
OTHER_ORGANISATION = "That belongs to another organisation."


def save_new(
    obj: models.Model,
    *,
    actor: Any,
    action: str,
    fields: Iterable[str],
    error: DomainError,
    duplicate: str = DUPLICATE,
) -> None:
    """Insert the object and record its creation with the values of `fields`."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise error(duplicate.format(obj=obj)) from exc
    record_for(obj, actor=actor, action=action, changes=diff({}, snapshot(obj, fields)))


def apply_changes(
    obj: models.Model,
    *,
    actor: Any,
    action: str,
    allowed: Iterable[str],
    error: DomainError,
    duplicate: str = DUPLICATE,
    **changes: Any,
) -> dict[str, list[Any]]:
    """Set the allowed fields, save only what changed, and record the before/after."""
    allowed = tuple(allowed)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Not {type(obj).__name__} fields: {sorted(unknown)}")
    refuse_empty(obj, changes, error)
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
        raise error(duplicate.format(obj=obj)) from exc
    record_for(obj, actor=actor, action=action, changes=changed)
    return changed


def refuse_empty(obj: models.Model, changes: dict[str, Any], error: DomainError) -> None:
    """Refuse null for a field that cannot hold it (a PATCH sending `"title": null`), as the
    app's own message instead of the database's NOT NULL error."""
    for name, value in changes.items():
        if value is not None:
            continue
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "null", True) is False:
            label = str(getattr(field, "verbose_name", name)).capitalize()
            message = f"{label} cannot be empty: send a value, or leave it out to keep it."
            try:
                refusal = error(message, field=name)
            except TypeError:  # an app error without a field
                refusal = error(message)
            raise refusal


def set_related(
    obj: models.Model,
    name: str,
    targets: Iterable[models.Model],
    *,
    actor: Any,
    action: str,
    error: DomainError,
) -> None:
    """Replace a many-to-many set of objects of the same organisation, recording the ids before
    and after when they change."""
    targets = list(targets)
    organisation_id = obj.organisation_id  # type: ignore[attr-defined]
    for target in targets:
        if getattr(target, "organisation_id", organisation_id) != organisation_id:
            raise error(OTHER_ORGANISATION, field=name)
    manager = getattr(obj, name)
    before = sorted(str(pk) for pk in manager.values_list("pk", flat=True))
    after = sorted(str(target.pk) for target in targets)
    if before == after:
        return
    manager.set(targets)
    record_for(obj, actor=actor, action=action, changes={name: [before, after]})
