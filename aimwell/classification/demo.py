"""Meridian Lending's EU AI Act classifications, one per AI system of the inventory's demo."""

from __future__ import annotations

from aimwell.classification import services
from aimwell.classification.answers import DEMO_CLASSIFICATIONS
from aimwell.classification.models import Classification
from aimwell.demo import DemoResult, demo_organisation
from aimwell.inventory.models import AISystem


def _classifications(result: DemoResult) -> None:
    """Each system is classified through the questionnaire's service from Meridian's answers, so
    the class, basis and obligations are the product's; a system with a current result (under
    whatever rules) is left alone, which keeps loading the demo idempotent."""
    org = demo_organisation()
    systems = {s.name: s for s in AISystem.objects.filter(organisation=org)}
    current = set(
        Classification.objects.filter(organisation=org, is_current=True).values_list(
            "system__name", flat=True
        )
    )
    for name, answers in DEMO_CLASSIFICATIONS.items():
        system = systems.get(name)
        if system is None or name in current or not system.eu_roles:
            continue
        services.classify_system(system, answers, actor="demo loader")
        result.created.append(f"EU AI Act classification of {name}")


STEPS = [_classifications]
