"""The register list of AI objectives."""

from __future__ import annotations

from aimwell.objectives.models import AIObjective
from aimwell.operations.lists import ListSpec

OBJECTIVES = ListSpec(
    AIObjective,
    search=("title", "description", "measure"),
    filters={"status": "status", "owner": "owner__email", "system": "systems"},
    sorts={"due": ("due_date", "title"), "title": ("title",), "status": ("status", "title")},
    default_sort="due",
    related=("owner", "annex_c", "business_objective"),
    prefetch=("systems",),
)
