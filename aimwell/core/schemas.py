"""API schemas of the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from ninja import Field, Schema


class AuditEventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_id: uuid.UUID | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_changes(obj: Any) -> dict[str, Any]:
        return json.loads(obj.changes)  # type: ignore[no-any-return]


class AuditEventPage(Schema):
    items: list[AuditEventOut]
    count: int = Field(description="Events matching the filters, in all pages.")
    next_before: int | None = Field(
        description="Pass as `before` for the next page (null on the last page)."
    )


class AuditVerifyOut(Schema):
    ok: bool
    events: int
    problem: str | None
