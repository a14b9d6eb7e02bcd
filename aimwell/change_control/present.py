"""A change request as the API answers it (ChangeOut)."""

from __future__ import annotations

from typing import Any

from aimwell.change_control.models import ChangeRequest
from aimwell.lifecycle.present import person


def change(obj: ChangeRequest) -> dict[str, Any]:
    return {
        **{f: getattr(obj, f) for f in ChangeRequest.FIELDS if f not in ("system", "owner")},
        "id": obj.pk,
        "reference": obj.reference,
        "system_id": obj.system_id,
        "system": obj.system.name if obj.system else None,
        "owner": person(obj.owner),
        "status": obj.status,
        "version": obj.version,
        "submitted_at": obj.submitted_at,
        "decided_by": obj.decided_by_label,
        "decided_at": obj.decided_at,
        "decision_note": obj.decision_note,
        "implemented_on": obj.implemented_on,
        "reviewed_on": obj.reviewed_on,
        "review_note": obj.review_note,
    }
