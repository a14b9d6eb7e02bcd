"""Generic writers of the context registers: validate, save only what changed, record an event.

Every register describes its writable fields in a `Spec`; the public functions in
`services.context`, `services.scope` and `aimwell.governance.services` build on these; a spec
names the domain error its refusals raise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from aimwell.accounts.models import Membership, Organisation
from aimwell.context.errors import ContextError
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.core.errors import DomainError
from aimwell.core.writes import refuse_empty

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Spec(Generic[M]):
    model: type[M]
    action: str  # prefix of audit actions, e.g. "context_issue"
    fields: tuple[str, ...]
    m2m: tuple[str, ...] = ()
    unique: str | None = None  # a field unique per organisation, checked with a clear message
    error: type[DomainError] = ContextError

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


def _ids(values: Iterable[Any]) -> list[str]:
    return sorted(str(v.pk) for v in values)


def m2m_snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, list[str]]:
    return {name: _ids(getattr(obj, name).all()) for name in names}


def check_same_organisation(
    organisation_id: Any, value: Any, field: str, error: type[DomainError] = ContextError
) -> None:
    """FK and M2M targets must belong to the same organisation (users: be members of it;
    catalog nodes: be built in or the organisation's own)."""
    if value is None or not isinstance(value, (models.Model, list, tuple, set, models.QuerySet)):
        return
    items = [value] if isinstance(value, models.Model) else list(value)
    for item in items:
        label = item._meta.label_lower
        if label == "accounts.user":
            ok = Membership.objects.filter(
                organisation_id=organisation_id, user_id=item.pk
            ).exists()
        elif label == "catalog.requirementnode":
            ok = item.framework.organisation_id in (organisation_id, None)  # type: ignore[attr-defined]
        else:
            ok = getattr(item, "organisation_id", organisation_id) == organisation_id
        if not ok:
            raise error(f"{field}: {item} is not part of this organisation.", field)


def _validate(spec: Spec, obj: models.Model) -> None:
    if spec.unique:
        value = getattr(obj, spec.unique)
        clash = spec.model.objects.filter(
            organisation_id=obj.organisation_id,  # type: ignore[attr-defined]
            **{f"{spec.unique}__iexact": value},
        ).exclude(pk=obj.pk)
        if clash.exists():
            raise spec.error(
                f'A {spec.label} with the {spec.unique} "{value}" already exists.', spec.unique
            )
    try:
        obj.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        name = getattr(spec.model._meta.get_field(field), "verbose_name", field)
        name = name if field != "__all__" else ""
        prefix = f"{str(name).capitalize()}: " if name else ""
        raise spec.error(f"{prefix}{' '.join(messages)}", field) from exc


def _split(spec: Spec, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(values) - set(spec.fields) - set(spec.m2m)
    if unknown:
        raise TypeError(f"Not fields of {spec.label}: {sorted(unknown)}")
    scalars = {k: v for k, v in values.items() if k in spec.fields}
    many = {k: list(v) for k, v in values.items() if k in spec.m2m}
    return scalars, many


@transaction.atomic
def create(spec: Spec[M], organisation: Organisation, *, actor: Any, **values: Any) -> M:
    scalars, many = _split(spec, values)
    for name, value in {**scalars, **many}.items():
        check_same_organisation(organisation.pk, value, name, spec.error)
    obj = spec.model(organisation=organisation, **scalars)
    _validate(spec, obj)
    obj.save()
    for name, targets in many.items():
        getattr(obj, name).set(targets)
    after = {**snapshot(obj, spec.fields), **m2m_snapshot(obj, many)}
    record_for(obj, actor=actor, action=f"{spec.action}.created", changes=diff({}, after))
    return obj


@transaction.atomic
def update(spec: Spec[M], obj: M, *, actor: Any, **values: Any) -> M:
    scalars, many = _split(spec, values)
    org_id = obj.organisation_id  # type: ignore[attr-defined]
    for name, value in {**scalars, **many}.items():
        check_same_organisation(org_id, value, name, spec.error)
    refuse_empty(obj, scalars, spec.error)
    before = {**snapshot(obj, spec.fields), **m2m_snapshot(obj, many)}
    for name, value in scalars.items():
        setattr(obj, name, value)
    _validate(spec, obj)
    after_scalars = snapshot(obj, spec.fields)
    changed_fields = [k for k in spec.fields if before.get(k) != after_scalars.get(k)]
    if changed_fields:
        obj.save(update_fields=[_column(spec, k) for k in changed_fields] + ["updated_at"])
    after_many = {name: _ids(targets) for name, targets in many.items()}
    for name, targets in many.items():
        if before[name] != after_many[name]:
            getattr(obj, name).set(targets)
    changes = diff(before, {**after_scalars, **after_many})
    if changes:
        record_for(obj, actor=actor, action=f"{spec.action}.updated", changes=changes)
    return obj


def _column(spec: Spec, name: str) -> str:
    return spec.model._meta.get_field(name).name


@transaction.atomic
def delete(spec: Spec, obj: models.Model, *, actor: Any) -> None:
    before = {**snapshot(obj, spec.fields), **m2m_snapshot(obj, spec.m2m)}
    record_for(obj, actor=actor, action=f"{spec.action}.deleted", changes=diff(before, {}))
    obj.delete()
