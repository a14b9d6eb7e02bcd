"""What every REST endpoint of the operations apps uses: access checks, look-ups by URN and id,
lists, and turning domain errors into 400 responses."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.catalog.models import RequirementNode
from aimwell.inventory.models import AISystem
from aimwell.operations.lists import ListSpec, filtered, page_of

T = TypeVar("T")
# Who may write audit records (audits, findings, nonconformities of audits).
AUDIT_WRITERS = (Capability.MANAGE_AIMS, Capability.WRITE_AUDIT_RECORDS)


def membership(request: AimwellRequest, capability: Capability = Capability.READ_ALL) -> Membership:
    return require(request.membership, capability)


def require_any(request: AimwellRequest, *capabilities: Capability) -> Membership:
    member = request.membership
    if member is None:
        from django.http import Http404

        raise Http404("No such organisation.")
    if not any(can(member, c) for c in capabilities):
        raise PermissionDenied("Your role does not allow this.")
    return member


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


def get_object(request: AimwellRequest, qs: Any, pk: Any, **kw: Any) -> Any:
    """The object with this id if the user may see it (and change it, with `write=True`)."""
    obj, _ = get_for_user(
        request.user,
        qs,
        pk,
        organisation=request.organisation,
        **kw,
    )
    return obj


def list_of(spec: ListSpec, request: AimwellRequest, query: Any, **kw: Any) -> dict[str, Any]:
    """A page of a register for the API, searched, filtered and sorted by the query."""
    m = membership(request, kw.pop("capability", Capability.READ_ALL))
    rows = filtered(spec, m.organisation, params(query), **kw)
    return page_dict(page_of(rows, query.page, query.page_size))
