"""Who may read and write what in the certification project.

Readers (every role that reads the AIMS) see the project; AIMS managers run it. A guest sees only
the audits of their current engagements and writes only in their own engagement's workspace."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.certification.models import Engagement, EvidenceAsk, ExternalAudit
from aimwell.certification.workspace import is_guest

GUEST_ONLY_OWN = (
    "As an external auditor you can open only the audit you are engaged on, while the "
    "engagement runs."
)


def reader(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.READ_ALL)


def manager(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.MANAGE_AIMS)


def non_guest_reader(request: AimwellRequest) -> Membership:
    membership = reader(request)
    if is_guest(membership):
        raise PermissionDenied("This page is for the organisation's members.")
    return membership


def get_audit(
    request: AimwellRequest, pk: uuid.UUID, *, write: bool = False
) -> tuple[ExternalAudit, Membership]:
    audit, membership = get_for_user(
        request.user,
        ExternalAudit.objects.select_related("project", "certificate"),
        pk,
        organisation=request.organisation,
        write=write,
    )
    if is_guest(membership) and not (
        Engagement.objects.current().filter(audit=audit, membership=membership).exists()
    ):
        raise PermissionDenied(GUEST_ONLY_OWN)
    return audit, membership


def get_engagement(request: AimwellRequest, pk: uuid.UUID) -> tuple[Engagement, Membership]:
    engagement, membership = get_for_user(
        request.user,
        Engagement.objects.select_related("audit", "membership__user"),
        pk,
        organisation=request.organisation,
    )
    # A guest's access to a workspace ends with the engagement (revoked or past its end), even
    # while another engagement keeps their membership running.
    if is_guest(membership) and (
        engagement.membership_id != membership.pk or not engagement.is_current
    ):
        raise PermissionDenied(GUEST_ONLY_OWN)
    return engagement, membership


def get_ask(request: AimwellRequest, pk: uuid.UUID) -> tuple[EvidenceAsk, Membership]:
    return get_for_user(
        request.user,
        EvidenceAsk.objects.select_related("engagement", "owner"),
        pk,
        organisation=request.organisation,
    )


def visible_engagements(membership: Membership, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(membership=membership) if is_guest(membership) else qs
