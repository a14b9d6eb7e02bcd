"""The register list of management reviews."""

from __future__ import annotations

from django.db.models import Count

from aimwell.management_review.models import ManagementReview
from aimwell.operations.lists import ListSpec

REVIEWS = ListSpec(
    ManagementReview,
    search=("title", "minutes", "decisions"),
    filters={"status": "status"},
    sorts={"planned": ("-planned_on",), "title": ("title",)},
    default_sort="planned",
    related=("chair",),
    annotate={"action_count": Count("actions")},
)
