"""Lookups shared by the pages, the API and the CLI: members by email, catalog nodes by ref."""

from __future__ import annotations

from typing import Any

from aimwell.accounts.models import Membership
from aimwell.catalog.models import RequirementNode
from aimwell.risks.errors import RiskError

ISO = "iso42001:2023"


def member_user(organisation: Any, email: str | None) -> Any:
    if not email:
        return None
    member = (
        Membership.objects.active()
        .select_related("user")
        .filter(organisation=organisation, user__email__iexact=email)
        .first()
    )
    if member is None:
        raise RiskError(f"{email} is not a member of this organisation.")
    return member.user


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
