"""What the context and governance endpoints share: who may read or write, fetching one object,
and turning ids in a payload into the organisation's objects (an unknown id is a 400 naming the
field). Refusals of the services are DomainErrors, answered by the API's one handler."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from ninja import Schema
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership, Organisation, User
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.catalog.querysets import node_by_urn
from aimwell.context import querysets
from aimwell.context.querysets import ListSpec
from aimwell.inventory.models import AISystem

M = TypeVar("M", bound=models.Model)


def reader(request: AimwellRequest, capability: Capability = Capability.READ_ALL) -> Membership:
    return require(request.membership, capability)


def manager(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.MANAGE_AIMS)


def fetch(
    request: AimwellRequest,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    write: bool = False,
    capability: Capability = Capability.READ_ALL,
) -> M:
    """One object of the current organisation: 404 if invisible, 403 if the role forbids."""
    obj, membership = get_for_user(
        request.user,
        queryset,
        pk,
        organisation=request.organisation,
        write=write,
        capability=capability,
    )
    require(membership, Capability.MANAGE_AIMS if write else capability)
    return obj


def rows(
    request: AimwellRequest,
    key: str | ListSpec,
    filters: Schema,
    capability: Capability = Capability.READ_ALL,
) -> QuerySet[Any]:
    """A register's rows for the list query (search, filters, sort of `querysets.filtered`)."""
    membership = reader(request, capability)
    return querysets.filtered(key, membership.organisation, filters.model_dump())


def row(request: AimwellRequest, key: str | ListSpec, pk: uuid.UUID, *, write: bool = False) -> Any:
    """One row of a register with the list's joins: 404 if invisible, 403 if the role forbids."""
    spec = querysets.LISTS[key] if isinstance(key, str) else key
    qs = spec.model._default_manager.all()
    if spec.related:
        qs = qs.select_related(*spec.related)
    if spec.prefetch:
        qs = qs.prefetch_related(*spec.prefetch)
    return fetch(request, qs, pk, write=write)


def one(model: type[M], **lookup: Any) -> Callable[[Organisation, Any, str], M | None]:
    def resolve(org: Organisation, value: Any, field: str) -> M | None:
        if value is None:
            return None
        found = model._default_manager.filter(**{k: v(org) for k, v in lookup.items()}, pk=value)
        obj = found.first()
        if obj is None:
            raise HttpError(400, f"{field}: no such {model._meta.verbose_name} ({value}).")
        return obj

    return resolve


def _user(org: Organisation, value: Any, field: str) -> User | None:
    if value is None:
        return None
    user = User.objects.filter(pk=value, memberships__organisation=org).first()
    if user is None:
        raise HttpError(400, f"{field}: {value} is not a member of this organisation.")
    return user


_system = one(AISystem, organisation=lambda org: org)
_member = one(Membership, organisation=lambda org: org)


def many(resolve: Callable[[Organisation, Any, str], Any]) -> Callable[..., list[Any]]:
    def resolve_all(org: Organisation, values: list[Any], field: str) -> list[Any]:
        return [resolve(org, v, field) for v in dict.fromkeys(values)]

    return resolve_all


def _nodes(org: Organisation, urns: list[str], field: str) -> list[Any]:
    nodes = []
    for urn in dict.fromkeys(urns):
        node = node_by_urn(org, urn)
        if node is None:
            raise HttpError(400, f"{field}: no catalog requirement {urn!r}.")
        nodes.append(node)
    return nodes


# payload key -> (service argument, resolver)
References = Mapping[str, tuple[str, Callable[..., Any]]]
REFERENCES: References = {
    "owner_id": ("owner", _user),
    "system_ids": ("systems", many(_system)),
    "catalog_urns": ("catalog_nodes", _nodes),
    "holder_ids": ("holders", many(_member)),
    "member_ids": ("members", many(_member)),
    "attendee_ids": ("attendees", many(_member)),
    "chair_id": ("chair", _member),
    "follow_up_owner_id": ("follow_up_owner", _member),
    "made_by_id": ("made_by", _member),
}


def values(
    org: Organisation,
    payload: Schema,
    *,
    partial: bool = False,
    references: References = REFERENCES,
) -> dict[str, Any]:
    """The payload as service arguments, ids resolved within the organisation (`references`:
    an app adds its own keys to REFERENCES). A PATCH passes only the fields sent; a null list is
    refused (send [] to clear it)."""
    data = payload.model_dump(exclude_unset=partial)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in references:
            name, resolve = references[key]
            if value is None and key.endswith(("_ids", "_urns")):
                raise HttpError(400, f"{key}: give a list (it may be empty).")
            out[name] = resolve(org, value, key)
        else:
            out[key] = value.value if hasattr(value, "value") else value
    return out


def as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
