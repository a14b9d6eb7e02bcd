"""Helpers of the pre-audit check tests: findings of one rule, and records built through the
services in a few lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.consistency import engine
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem

MINIMAL_ANSWERS: dict[str, Any] = {
    "is_ai_system": True,
    "eu_nexus": True,
    "exclusions": ["none"],
    "art5_practices": ["none"],
    "annex_i_product": "none",
    "annex_iii_areas": ["none"],
    "art50_features": ["none"],
    "open_source_release": False,
    "gpai_model": False,
}
HIGH_RISK_ANSWERS: dict[str, Any] = {
    **MINIMAL_ANSWERS,
    "annex_iii_areas": ["area_5"],
    "annex_iii_5_uses": ["creditworthiness"],
    "art6_3_derogations": ["none"],
    "deployer_type": "other",
}


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def found(org: Any, rule: str) -> list[str]:
    """The messages of the findings of one rule, from a run of every rule."""
    report = engine.run(org)
    return [f.message for f in report.findings if f.rule.key == rule]


def system(org: Any, name: str = "Credit scoring", owner: Any = None, **extra: Any) -> AISystem:
    values = {"purpose": "Score loan applications", "lifecycle_stage": "deployed", **extra}
    return inventory.create(AISystem, org, actor="test", name=name, owner=owner, **values)
