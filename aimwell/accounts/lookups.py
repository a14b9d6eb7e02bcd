"""Finding a member from what a person types or a script sends: an email address."""

from __future__ import annotations

from typing import Any

from aimwell.accounts.models import Membership, User


class NotAMember(ValueError):
    """The email given for a person is not an active member of the organisation. The API
    answers 400 with the message; pages and the CLI show it like any other input error."""


def member_user(organisation: Any, email: str | None) -> User | None:
    """The user behind an active membership of the organisation (an object or its id) with that
    email, compared without case; None when no email is given."""
    if not email:
        return None
    member = (
        Membership.objects.active()
        .select_related("user")
        .filter(
            organisation_id=getattr(organisation, "pk", organisation), user__email__iexact=email
        )
        .first()
    )
    if member is None:
        raise NotAMember(f"{email} is not a member of this organisation.")
    return member.user
