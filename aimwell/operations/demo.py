"""People and look-ups shared by the demo steps of the operations apps (no steps of its own)."""

from __future__ import annotations

from typing import Any

from aimwell.accounts.models import User
from aimwell.catalog.models import RequirementNode
from aimwell.inventory.models import AISystem

AUDITOR = "internal.auditor@meridian.example"
CEO = "ceo@meridian.example"
MANAGER = "aims.manager@meridian.example"
CREDIT_OWNER = "credit.owner@meridian.example"
ENGINEER = "ml.engineer@meridian.example"
STAFF = "staff@meridian.example"
ACTOR = "demo loader"


def people() -> dict[str, User]:
    emails = [AUDITOR, CEO, MANAGER, CREDIT_OWNER, ENGINEER, STAFF]
    return {u.email: u for u in User.objects.filter(email__in=emails)}


def catalog_node(ref: str) -> RequirementNode | None:
    return RequirementNode.objects.filter(
        framework__key="iso42001", framework__organisation__isnull=True, ref_id=ref
    ).first()


def ai_system(org: Any, name: str) -> AISystem | None:
    return AISystem.objects.filter(organisation=org, name=name).first()
