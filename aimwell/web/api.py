"""REST API of the home page: the next action, the seven stages and the figures that matter."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, Role
from aimwell.notifications.inbox import inbox_for
from aimwell.web import dashboard
from aimwell.web.schemas import HomeOut

router = Router(tags=["home"])


@router.get(
    "/home",
    response=HomeOut,
    summary="The home page: next action, the seven stages' progress, the figures that matter",
)
def home(request: AimwellRequest) -> dict[str, Any]:
    membership = require(request.membership, Capability.READ_ALL)
    if membership.role == Role.EXTERNAL_AUDITOR:
        # The figures span the whole AIMS, beyond the scope of any one audit.
        raise PermissionDenied("The home figures are for the organisation's members.")
    progress = dashboard.progress(membership)
    action = progress.next_action
    return {
        "organisation": membership.organisation.name,
        "next_action": None
        if action is None
        else {"text": action.text, "url": action.url, "why": action.why},
        "stages": progress.stages,
        "figures": [
            {**f, "value": str(f["value"])} for f in dashboard.figures(membership, progress)
        ],
        "inbox_count": inbox_for(membership).count,
    }
