"""The request as Aimwell's middleware and API authentication leave it.

`CurrentOrganisationMiddleware` (pages) and the token and session authentication of the API set
the member's active membership and its organisation on every request; both are None for a
visitor who is signed out or belongs to no organisation, which `accounts.access.require` turns
into a 404. Views and API operations annotate their request with this class so those attributes
are typed, instead of ignoring the checker at each use.
"""

from __future__ import annotations

from django.http import HttpRequest

from aimwell.accounts.models import Membership, Organisation


class AimwellRequest(HttpRequest):
    membership: Membership | None
    organisation: Organisation | None


def attach_membership(request: HttpRequest, membership: Membership | None) -> None:
    """Record on the request who is acting and in which organisation (the one place that
    sets these attributes)."""
    request.membership = membership  # type: ignore[attr-defined]
    request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
