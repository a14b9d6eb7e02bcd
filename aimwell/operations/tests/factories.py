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
