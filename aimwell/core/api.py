"""REST endpoints of the audit trail: read it, filter it, verify it."""

import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.core.audit import verify_organisation
from aimwell.core.models import AuditChainHead
from aimwell.core.querysets import audit_events_for
from aimwell.core.schemas import AuditEventPage, AuditVerifyOut

router = Router(tags=["audit trail"])
DEFAULT_PAGE = 50
MAX_PAGE = 500


class AuditFilter(Schema):
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


class AuditPageQuery(Schema):
    limit: int = Field(
        DEFAULT_PAGE, description=f"Events per page, 1 to {MAX_PAGE} (more is refused with 400)."
    )
    offset: int = Field(0, description="Events to skip (slow deep in a long trail: use before).")
    before: int | None = Field(
        None,
        description="Only events numbered below this one: pass the previous page's next_before "
        "to walk the whole trail at the same cost per page.",
    )


@router.get(
    "/audit-events",
    response=AuditEventPage,
    summary="The organisation's audit trail, newest first",
)
def list_audit_events(
    request: AimwellRequest, filters: Query[AuditFilter], page: Query[AuditPageQuery]
) -> dict[str, Any]:
    """Newest first, at most 500 events a page. Deep pages by keyset: `before=<next_before>`
    reads the next events from the (organisation, seq) index, where a large `offset` makes the
    database step over every skipped event."""
    membership = require(request.membership, Capability.VIEW_AUDIT_TRAIL)
    if not 1 <= page.limit <= MAX_PAGE:
        raise HttpError(400, f"limit must be between 1 and {MAX_PAGE} events a page.")
    if page.offset < 0:
        raise HttpError(400, "offset cannot be negative.")
    chosen = filters.model_dump()
    events = audit_events_for(membership.organisation_id, **chosen)
    if any(value is not None for value in chosen.values()):
        count = events.count()
    else:
        # Unfiltered, the count is the chain head's number: events are numbered 1, 2, ... per
        # organisation without gaps (verification checks it), and counting a million index
        # entries for every page would cost more than the page.
        head = AuditChainHead.objects.filter(organisation_id=membership.organisation_id)
        count = head.values_list("seq", flat=True).first() or 0
    if page.before is not None:
        events = events.filter(seq__lt=page.before)
    items = list(events[page.offset : page.offset + page.limit])
    next_before = items[-1].seq if len(items) == page.limit else None
    return {"items": items, "count": count, "next_before": next_before}


@router.post("/audit-events/verify", response=AuditVerifyOut, summary="Verify the chain")
def verify_audit_trail(request: AimwellRequest) -> dict[str, object]:
    membership = require(request.membership, Capability.VIEW_AUDIT_TRAIL)
    checked, problem = verify_organisation(membership.organisation_id)
    return {"ok": problem is None, "events": checked, "problem": str(problem) if problem else None}
