"""The member picker: a form field naming a person is filled by searching names and e-mails."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Role
from aimwell.core.widgets import Picker


def member_options(
    organisation: Any,
    query: str,
    *,
    guests: bool = False,
    roles: Sequence[str] = (),
    memberships: bool = False,
) -> list[dict[str, str]]:
    """Up to twenty of the organisation's active members whose name or e-mail holds every word of
    the query: its guests (external auditors) when asked for, otherwise its own people, narrowed
    to the given roles when there are any. Each is answered by user id, or by membership id for
    the fields that link memberships (`memberships`)."""
    found = Membership.objects.active().filter(organisation=organisation)
    if roles:
        found = found.filter(role__in=roles)
    if guests:
        found = found.filter(role=Role.EXTERNAL_AUDITOR)
    else:
        found = found.exclude(role=Role.EXTERNAL_AUDITOR)
    for word in query.split():
        found = found.filter(Q(user__full_name__icontains=word) | Q(user__email__icontains=word))
    chosen = found.select_related("user").order_by("user__full_name", "user__email")[:20]
    return [
        {
            "value": str(m.pk if memberships else m.user_id),
            "label": m.user.display_name,
            "detail": f"{m.user.email}, {m.role_label}" if memberships else m.user.email,
        }
        for m in chosen
    ]


def member_picker(
    queryset: Any,
    *,
    guests: bool = False,
    source: str = "",
    roles: Sequence[str] = (),
    multiple: bool = False,
) -> Picker:
    """One member, searched by name or e-mail (accounts:member-pick unless another `source` is
    given; `roles` narrows the search to members holding one of them). The field's queryset still
    decides what may be posted; the picker only finds names."""

    def names(ids: list[str]) -> dict[str, str]:
        try:
            chosen = queryset.filter(pk__in=ids)
            return {str(user.pk): f"{user.display_name} ({user.email})" for user in chosen}
        except (ValueError, ValidationError):  # a value that is no id names nothing
            return {}

    if not source:
        asked = [("guests", "1")] if guests else []
        asked += [("role", str(role)) for role in roles]
        source = reverse("member-pick") + (f"?{urlencode(asked)}" if asked else "")
    return Picker(
        source, multiple=multiple, placeholder="Search members by name or e-mail", labels=names
    )


def memberships_picker(queryset: Any, *, multiple: bool = False) -> Picker:
    """Members of a field that links memberships (a meeting's attendees, a role's holders),
    searched by name or e-mail; names of those chosen come from `queryset`, of memberships."""

    def names(ids: list[str]) -> dict[str, str]:
        try:
            chosen = queryset.filter(pk__in=ids).select_related("user")
            return {str(m.pk): f"{m.user.display_name} ({m.role_label})" for m in chosen}
        except (ValueError, ValidationError):  # a value that is no id names nothing
            return {}

    return Picker(
        reverse("member-pick") + "?ids=membership",
        multiple=multiple,
        placeholder="Search members by name or e-mail",
        labels=names,
    )
