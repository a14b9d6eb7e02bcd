"""Register lists of incidents and concerns."""

from __future__ import annotations

from aimwell.incidents.models import Concern, Incident
from aimwell.operations.lists import ListSpec

INCIDENTS = ListSpec(
    Incident,
    search=("reference", "title", "description", "harm"),
    filters={
        "status": "status",
        "severity": "severity",
        "is_serious": "is_serious",
        "system": "systems",
    },
    sorts={
        "detected": ("-detected_at",),
        "deadline": ("report_deadline", "reference"),
        "reference": ("reference",),
    },
    default_sort="detected",
    related=("owner",),
    prefetch=("systems",),
)


CONCERNS = ListSpec(
    Concern,
    search=("reference", "description", "outcome"),
    filters={"status": "status", "category": "category", "system": "system_id"},
    sorts={"received": ("-received_on", "-reference"), "reference": ("reference",)},
    default_sort="received",
    related=("system", "handler", "reporter"),
)
