"""The one rule that narrows what a guest (an external auditor) sees to the AI systems of their
audit: every query of a model that belongs to an AI system goes through it.

A model says how it reaches its AI system with `system_path` (a lookup such as `"system"`,
`"risk__system"` or, for many-to-many, `"systems"`; `"pk"` for the AI system itself), or, when no
relation leads there, with a classmethod `guest_visible(system_ids) -> Q`. A row that belongs to no
AI system (an organisation-wide risk) stays visible; a row that belongs only to systems outside
the audit is hidden, so a guest gets 404 on it and never sees it in a list, a page or an export.

Who is a guest and what their audit covers is the certification app's knowledge, not core's: it
registers a resolver (`register_resolver`) and its middleware confines each guest request
(`confined`). Every fresh `OrganisationScopedQuerySet` (from a manager or a related manager)
applies the confinement to every query made while serving that request, `visible_to()`
applies it for the user even outside one, and `aimwell/core/tests/test_guest_narrowing.py`
enumerates the app registry so that a new model with a path to an AI system cannot ship without
its rule."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class GuestLimit:
    """A guest's reach in one organisation: the AI systems they may see (empty: none at all,
    which is the case once their engagement has ended)."""

    organisation_id: str
    system_ids: frozenset[str]


Resolver = Callable[[Any], list[GuestLimit]]

_resolver: Resolver | None = None
_current: contextvars.ContextVar[GuestLimit | None] = contextvars.ContextVar(
    "aimwell_guest_limit", default=None
)
_CACHE_ATTRIBUTE = "_aimwell_guest_limits"


def register_resolver(resolver: Resolver) -> None:
    """Set the function that tells a user's guest limits (one per organisation where the user is
    a guest whose audit covers only some AI systems)."""
    global _resolver
    _resolver = resolver


@contextlib.contextmanager
def confined(limit: GuestLimit | None) -> Iterator[None]:
    """Confine every query made inside the block to the limit (None: no confinement)."""
    token = _current.set(limit)
    try:
        yield
    finally:
        _current.reset(token)


def current_limit() -> GuestLimit | None:
    return _current.get()


def limits_for(user: Any) -> list[GuestLimit]:
    """The user's guest limits, resolved once per user object (that is, once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or _resolver is None:
        return []
    cached: list[GuestLimit] | None = user.__dict__.get(_CACHE_ATTRIBUTE)
    if cached is None:
        cached = _resolver(user)
        user.__dict__[_CACHE_ATTRIBUTE] = cached
    return cached


def is_system_bound(model: type[models.Model]) -> bool:
    return hasattr(model, "guest_visible") or bool(getattr(model, "system_path", None))


def allowed_rows(model: type[models.Model], system_ids: frozenset[str]) -> Q:
    """The rows of `model` a guest limited to `system_ids` may see."""
    custom = getattr(model, "guest_visible", None)
    if custom is not None:
        return custom(system_ids)  # type: ignore[no-any-return]
    path: str = model.system_path  # type: ignore[attr-defined]
    if path == "pk":
        return Q(pk__in=system_ids)
    manager = model._base_manager
    if _is_multi_valued(model, path):
        linked = manager.filter(**{f"{path}__isnull": False}).values("pk")
        in_scope = manager.filter(**{f"{path}__in": system_ids}).values("pk")
        return ~Q(pk__in=linked) | Q(pk__in=in_scope)
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": system_ids})


def narrow(
    queryset: models.QuerySet[Any], limits: list[GuestLimit], organisation_id: Any = None
) -> models.QuerySet[Any]:
    """The queryset without what the limits hide (only models that belong to an AI system)."""
    model = queryset.model
    if not limits or not is_system_bound(model):
        return queryset
    for limit in limits:
        if organisation_id is not None and str(organisation_id) != limit.organisation_id:
            continue
        queryset = queryset.exclude(
            Q(organisation_id=limit.organisation_id) & ~allowed_rows(model, limit.system_ids)
        )
    return queryset


def confine(queryset: models.QuerySet[Any]) -> None:
    """Narrow a fresh queryset in place to the limit of the guest request being served."""
    limit = _current.get()
    if limit is not None and is_system_bound(queryset.model):
        hidden = Q(organisation_id=limit.organisation_id) & ~allowed_rows(
            queryset.model, limit.system_ids
        )
        queryset.query.add_q(~hidden)


def narrow_for(queryset: models.QuerySet[Any], user: Any, organisation: Any = None) -> Any:
    """`narrow` with the user's own limits: what `visible_to()` applies (a request that is
    already confined has narrowed the queryset when it was created)."""
    if _current.get() is not None:
        return queryset
    return narrow(queryset, limits_for(user), getattr(organisation, "pk", None))


def _is_multi_valued(model: type[models.Model], path: str) -> bool:
    current: Any = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        current = field.related_model
    return False
