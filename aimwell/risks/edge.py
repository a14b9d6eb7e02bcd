"""Lookups shared by the pages, the API and the CLI: members by email, catalog nodes by ref."""

from __future__ import annotations

from typing import Any

from aimwell.accounts import lookups
from aimwell.accounts.models import Membership
from aimwell.catalog.models import RequirementNode
from aimwell.risks.errors import RiskError

ISO = "iso42001:2023"


def member_user(organisation: Any, email: str | None) -> Any:
    """The member with that email, as a risk error when there is none (pages and the CLI show
    risk errors as messages)."""
    try:
        return lookups.member_user(organisation, email)
    except lookups.NotAMember as exc:
        raise RiskError(str(exc)) from exc


def catalog_node(ref: str | None, kind: str) -> RequirementNode | None:
    if not ref:
        return None
    node = RequirementNode.objects.filter(
        framework__urn=ISO, framework__organisation__isnull=True, ref_id=ref, kind=kind
    ).first()
    if node is None:
        raise RiskError(f"{ref} is not an ISO/IEC 42001 {kind.replace('_', ' ')}.")
    return node


def annex_c(kind: str) -> list[RequirementNode]:
    return list(
        RequirementNode.objects.filter(
            framework__urn=ISO, framework__organisation__isnull=True, kind=kind, is_retired=False
        ).order_by("position")
    )


def members(organisation: Any) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.active()
        .select_related("user")
        .filter(organisation=organisation)
        .exclude(role__in=["external_auditor"])
        .order_by("user__email")
    ]
