"""List queries of governance, shared by pages and the API (the context registers' `ListSpec`
and `filtered` serve them), and which principles a member may read."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, can
from aimwell.context.querysets import ListSpec
from aimwell.governance.choices import PrincipleStatus
from aimwell.governance.models import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    OversightBody,
    Principle,
)

_MEMBERS = Prefetch("members", queryset=Membership.objects.select_related("user"))

LISTS: dict[str, ListSpec] = {
    "principles": ListSpec(
        Principle,
        search=("name", "statement", "rationale"),
        filters=("status",),
        sorts={"name": ("name",), "status": ("status", "name"), "updated": ("-updated_at",)},
        default_sort="name",
        related=("owner",),
        prefetch=("catalog_nodes__framework",),
        annotate={"link_count": Count("links", distinct=True)},
    ),
    "roles": ListSpec(
        AIMSRole,
        search=("name", "responsibilities", "authorities"),
        filters=(),
        sorts={"name": ("name",)},
        default_sort="name",
        prefetch=(Prefetch("holders", queryset=Membership.objects.select_related("user")),),
    ),
    "bodies": ListSpec(
        OversightBody,
        search=("name", "terms_of_reference"),
        filters=("kind", "is_active"),
        sorts={"name": ("name",), "kind": ("kind", "name")},
        default_sort="name",
        related=("chair__user",),
        prefetch=(_MEMBERS,),
        annotate={
            "meeting_count": Count("meetings", distinct=True),
            "open_decisions": Count("decisions", filter=Q(decisions__status="open"), distinct=True),
        },
    ),
    "commitments": ListSpec(
        LeadershipCommitment,
        search=("commitment", "evidence"),
        filters=(),
        sorts={"made_on": ("-made_on",), "oldest": ("made_on",)},
        default_sort="made_on",
        related=("made_by__user",),
    ),
    "decisions": ListSpec(
        Decision,
        search=("text",),
        filters=("status", "body"),
        sorts={"decided_on": ("-decided_on",), "due": ("due_date", "-decided_on")},
        default_sort="decided_on",
        related=("body", "meeting", "follow_up_owner__user"),
    ),
}
PRINCIPLES, ROLES, BODIES, COMMITMENTS, DECISIONS = (
    LISTS[key] for key in ("principles", "roles", "bodies", "commitments", "decisions")
)


def principles_for(membership: Membership) -> QuerySet[Principle]:
    """Staff read adopted principles only; readers of everything see drafts too."""
    qs = Principle.objects.all()
    if not can(membership, Capability.READ_ALL):
        qs = qs.filter(status=PrincipleStatus.ADOPTED)
    return qs
