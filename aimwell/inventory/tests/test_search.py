"""The AI systems list's search finds a system by any part of its name, purpose or business unit,
through the database's trigram index, among the organisation's own systems only."""

from __future__ import annotations

from typing import Any

import pytest

from aimwell.inventory import services
from aimwell.inventory.models import AISystem
from aimwell.inventory.querysets import SystemFilters, systems

pytestmark = pytest.mark.django_db


def _system(org: Any, name: str, purpose: str, unit: str = "") -> AISystem:
    return services.create(
        AISystem, org, actor="test", name=name, purpose=purpose, business_unit=unit
    )


def _found(org: Any, text: str) -> set[str]:
    return set(systems(org, SystemFilters(q=text)).values_list("name", flat=True))


@pytest.fixture
def three_systems(org: Any) -> Any:
    _system(org, "Credit scoring", "Score loan applications", "Retail lending")
    _system(org, "CV screening", "Rank job applicants", "People")
    _system(org, "Claims triage", "Route insurance claims", "Retail insurance")
    return org


def test_words_prefixes_and_parts_of_words_find_systems(three_systems):
    assert _found(three_systems, "screening") == {"CV screening"}
    assert _found(three_systems, "CRED") == {"Credit scoring"}
    assert _found(three_systems, "coring") == {"Credit scoring"}


def test_purpose_and_business_unit_are_searched(three_systems):
    assert _found(three_systems, "applica") == {"Credit scoring", "CV screening"}
    assert _found(three_systems, "retail") == {"Credit scoring", "Claims triage"}
    assert _found(three_systems, "CV") == {"CV screening"}


def test_an_edited_system_is_found_by_its_new_name(three_systems):
    system = AISystem.objects.get(organisation=three_systems, name="Claims triage")
    services.update(system, actor="test", name="Claims routing")
    assert _found(three_systems, "triage") == set()
    assert _found(three_systems, "routing") == {"Claims routing"}


def test_another_organisations_systems_never_match(three_systems, other_org):
    _system(other_org, "Rival credit scoring", "Score loan applications")
    assert _found(three_systems, "credit") == {"Credit scoring"}
    assert _found(other_org, "screening") == set()
