"""Access helpers: every view and API handler fetches objects through these.

An object the user cannot see is a 404 (its existence is not revealed); an object the user can see
but not change is a 403.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse

from aimwell.accounts.models import ApiToken, Invitation, Membership, Organisation
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.core import concurrency

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Callable[..., HttpResponse])


def active_membership(user: Any, organisation_id: Any) -> Membership | None:
    """The user's active membership in an organisation, cached on the user for the request."""
    if user is None or not user.is_authenticated:
        return None
    cache: dict[Any, Membership | None] = user.__dict__.setdefault("_aimwell_memberships", {})
    key = str(organisation_id)
    if key not in cache:
        cache[key] = (
            Membership.objects.active()
            .select_related("organisation")
            .filter(user_id=user.pk, organisation_id=organisation_id)
            .first()
        )
    return cache[key]


def member(membership: Membership | None) -> Membership:
    """The membership of whoever acts, whatever their role; 404 with none (as `require`)."""
    if membership is None:
        raise Http404("No such organisation.")
    return membership


def require(membership: Membership | None, capability: Capability) -> Membership:
    """The membership, if it grants the capability; 404 with no membership, 403 otherwise."""
    if membership is None:
        raise Http404("No such organisation.")
    if not can(membership, capability):
        raise PermissionDenied("Your role does not allow this.")
    return membership


def page_access(capability: Capability) -> Callable[[V], V]:
    """A page that needs `capability`: 404 with no membership, 403 without it (as `require`).
    The navigation reads the same mark (`page_capability`), so a member is offered exactly the
    pages that open for them, not a second list of who may see what."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapped(request: AimwellRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(getattr(request, "membership", None), capability)
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def page_capability(view: Any) -> Capability | None:
    """The capability a page marked with `page_access` needs (None: any signed-in member)."""
    return getattr(view, "required_capability", None)


def get_for_user(
    user: Any,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    organisation: Organisation | None = None,
    write: bool = False,
    audit_record: bool = False,
    capability: Capability = Capability.READ_ALL,
) -> tuple[M, Membership]:
    """Fetch one object the user may see; with write=True, one they may also change.

    Seeing it needs `capability` (by default READ_ALL: staff and guests outside their scope get
    403 on registers they may not read)."""
    if not _is_uuid(pk):
        raise Http404("Not found.")
    visible = queryset.visible_to(user, organisation)  # type: ignore[attr-defined]
    obj = visible.filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found.")
    membership = active_membership(user, obj.organisation_id)
    if membership is None:
        raise Http404("Not found.")
    if not can(membership, capability):
        raise PermissionDenied("Your role does not allow reading this.")
    if write and not can_write(membership, obj, audit_record=audit_record):
        raise PermissionDenied("Your role does not allow changing this.")
    concurrency.fetched(obj, write=write)
    return obj, membership


def get_membership_for_admin(user: Any, organisation: Organisation | None, pk: Any) -> Membership:
    """A membership of the current organisation that an admin may change."""
    target, viewer = get_for_user(
        user,
        Membership.objects.select_related("user", "organisation"),
        pk,
        organisation=organisation,
    )
    require(viewer, Capability.MANAGE_MEMBERS)
    concurrency.fetched(target, write=True)
    return target


def get_invitation_for_admin(user: Any, organisation: Organisation | None, pk: Any) -> Invitation:
    """An invitation of the current organisation that an admin may revoke."""
    target, viewer = get_for_user(
        user, Invitation.objects.select_related("organisation"), pk, organisation=organisation
    )
    require(viewer, Capability.MANAGE_MEMBERS)
    return target


def get_token_for_user(user: Any, pk: Any) -> ApiToken:
    token = ApiToken.objects.visible_to(user).filter(pk=pk).first() if _is_uuid(pk) else None
    if token is None:
        raise Http404("Not found.")
    return token


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def request_organisation(request: Any) -> Organisation | None:
    """The organisation a request acts in: the session's current one (CurrentOrganisationMiddleware)
    or the API token's (the API's authentication); None when there is none."""
    return getattr(request, "organisation", None)
