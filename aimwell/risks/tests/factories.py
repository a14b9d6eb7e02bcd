"""Test helpers of the risks and controls apps: a method, a system and risks in a few lines."""

from __future__ import annotations

from typing import Any

from aimwell.catalog.models import RequirementNode
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AIModel, AISystem
from aimwell.risks.models import Risk
from aimwell.risks.services import method as methods
from aimwell.risks.services import register


def node(ref: str) -> RequirementNode:
    return RequirementNode.objects.get(
        framework__urn="iso42001:2023", framework__organisation__isnull=True, ref_id=ref
    )


def method(org: Any) -> Any:
    return methods.current_method(org) or methods.publish_method(org, actor="test")


def system(org: Any, name: str = "Credit scoring", owner: Any = None, **extra: Any) -> AISystem:
    existing = AISystem.objects.filter(organisation=org, name=name).first()
    if existing is not None:
        return existing
    values = {"purpose": "Score loan applications", "lifecycle_stage": "deployed", **extra}
    return inventory.create(AISystem, org, actor="test", name=name, owner=owner, **values)


def deployed_with_model(org: Any, owner: Any = None) -> tuple[AISystem, AIModel]:
    sys = system(org, owner=owner)
    model = inventory.create(
        AIModel, org, actor="test", name="scorer", version="1", origin="in_house"
    )
    inventory.link(sys, "models", model, actor="test")
    return sys, model


def risk(
    org: Any, title: str = "Biased refusals", likelihood: int = 4, rating: int = 4, **kw: Any
) -> Risk:
    method(org)
    kw.setdefault("risk_source", node("C.3.3") if _has("C.3.3") else None)
    if kw["risk_source"] is None:
        kw["custom_source"] = "Training data"
    return register.create_risk(
        org,
        actor="test",
        title=title,
        likelihood=likelihood,
        consequences={"individuals": {"rating": rating, "description": "Unfair refusal"}},
        **kw,
    )


def _has(ref: str) -> bool:
    return RequirementNode.objects.filter(
        framework__urn="iso42001:2023", ref_id=ref, kind="risk_source"
    ).exists()
