"""Small builders shared by the operations tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimwell.catalog.models import RequirementNode
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem


def node(ref_id: str) -> RequirementNode:
    return RequirementNode.objects.get(
        framework__key="iso42001", framework__organisation__isnull=True, ref_id=ref_id
    )


def system(org: Any, name: str = "Credit scoring", owner: Any = None) -> AISystem:
    return inventory.create(  # type: ignore[no-any-return]
        AISystem,
        org,
        actor="test",
        name=name,
        purpose="Score loan applications",
        owner=owner,
        lifecycle_stage="deployed",
    )


D = dt.date
TODAY = dt.date(2026, 3, 2)


def planned_audit(org: Any, auditor: Any, **kw: Any) -> Any:
    """An internal audit of clause 8 and control A.6.2.6 led by `auditor`, as planned."""
    from aimwell.internal_audit import services as audits

    values = {
        "actor": auditor.user,
        "title": "AI lifecycle audit",
        "scope": "Clause 8 and the credit-scoring system",
        "planned_start": TODAY,
        "planned_end": TODAY + dt.timedelta(days=3),
        "lead_auditor": auditor.user,
        "requirements": [node("8.1"), node("A.6.2.6")],
    }
    values.update(kw)
    return audits.create_audit(org, **values)
