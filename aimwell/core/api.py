"""REST endpoints of the audit trail: read it, filter it, verify it."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from aimwell.accounts.access import require
from aimwell.accounts.roles import Capability
from aimwell.core.audit import verify_organisation
from aimwell.core.models import AuditEvent
from aimwell.core.querysets import audit_events_for
from aimwell.core.schemas import AuditEventOut, AuditVerifyOut

router = Router(tags=["audit trail"])


class AuditFilter(Schema):
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/audit-events", response=list[AuditEventOut], summary="The organisation's audit trail")
@paginate(LimitOffsetPagination)
def list_audit_events(request: HttpRequest, filters: Query[AuditFilter]) -> QuerySet[AuditEvent]:
    membership = require(request.membership, Capability.VIEW_AUDIT_TRAIL)  # type: ignore[attr-defined]
    return audit_events_for(membership.organisation_id, **filters.model_dump())


@router.post("/audit-events/verify", response=AuditVerifyOut, summary="Verify the chain")
def verify_audit_trail(request: HttpRequest) -> dict[str, object]:
    membership = require(request.membership, Capability.VIEW_AUDIT_TRAIL)  # type: ignore[attr-defined]
    checked, problem = verify_organisation(membership.organisation_id)
    return {"ok": problem is None, "events": checked, "problem": str(problem) if problem else None}
