"""Shared pieces of the operations API: the router, access checks, look-ups by email, URN and id,
and turning domain errors into 400 responses."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from aimwell.accounts.access import require
from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, can
from aimwell.catalog.models import RequirementNode
from aimwell.inventory.models import AISystem
from aimwell.operations.errors import OperationsError

router = Router(tags=["operations"])
T = TypeVar("T")


def membership(request: HttpRequest, capability: Capability = Capability.READ_ALL) -> Membership:
    return require(request.membership, capability)  # type: ignore[attr-defined]


def require_any(request: HttpRequest, *capabilities: Capability) -> Membership:
    member = request.membership  # type: ignore[attr-defined]
    if member is None:
        from django.http import Http404

        raise Http404("No such organisation.")
    if not any(can(member, c) for c in capabilities):
        raise PermissionDenied("Your role does not allow this.")
    return member  # type: ignore[no-any-return]


def guard(call: Callable[[], T]) -> T:
    try:
        return call()
    except OperationsError as exc:
        raise HttpError(400, str(exc)) from exc


def node_by_urn(urn: str | None, *, kind: Iterable[str] | None = None) -> RequirementNode | None:
    if not urn:
        return None
    qs = RequirementNode.objects.filter(urn=urn, framework__organisation__isnull=True)
    if kind is not None:
        qs = qs.filter(kind__in=list(kind))
    node = qs.first()
    if node is None:
        raise HttpError(400, f"No catalog entry {urn}.")
    return node


def nodes_by_urn(urns: Iterable[str]) -> list[RequirementNode]:
    urns = list(dict.fromkeys(urns))
    nodes = list(RequirementNode.objects.filter(urn__in=urns, framework__organisation__isnull=True))
    missing = set(urns) - {n.urn for n in nodes}
    if missing:
        raise HttpError(400, f"No catalog entry {', '.join(sorted(missing))}.")
    return nodes


def systems_by_id(organisation: Any, ids: Iterable[uuid.UUID]) -> list[AISystem]:
    ids = list(dict.fromkeys(ids))
    systems = list(AISystem.objects.filter(organisation=organisation, pk__in=ids))
    if len(systems) != len(ids):
        raise HttpError(400, "No such AI system in this organisation.")
    return systems


def system_by_id(organisation: Any, pk: uuid.UUID | None) -> AISystem | None:
    return systems_by_id(organisation, [pk])[0] if pk else None


def page_dict(page: Page[Any], **extra: Any) -> dict[str, Any]:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": list(page.object_list),
        **extra,
    }


def params(query: Any) -> dict[str, Any]:
    return {k: v for k, v in query.model_dump().items() if v is not None}
