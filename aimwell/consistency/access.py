"""Who sees the pre-audit check: the organisation's members who read the whole AIMS (admins, AIMS
managers, contributors, internal auditors). External auditors do not: the certification pack shows
them the known inconsistencies. Only AIMS managers (and admins) acknowledge findings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from aimwell.accounts.access import require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, Role


def reader(request: AimwellRequest) -> Membership:
    membership = require(request.membership, Capability.READ_ALL)
    if membership.role == Role.EXTERNAL_AUDITOR:
        raise PermissionDenied("The pre-audit check is for the organisation's members.")
    return membership


def manager(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.MANAGE_AIMS)
