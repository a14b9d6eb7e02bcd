"""Management review (9.3): a record whose inputs are gathered from live data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel
from aimwell.management_review.choices import ReviewStatus


class ManagementReview(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "planned_on",
        "held_on",
        "chair",
        "attendees",
        "status",
        "input_notes",
        "minutes",
        "conclusions",
        "decisions",
    )

    title = models.CharField(max_length=200)
    planned_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendees = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )
    # The inputs of 9.3.2 as gathered from the data, kept as they were when gathered.
    inputs = models.JSONField(default=dict, blank=True)
    inputs_gathered_at = models.DateTimeField(null=True, blank=True)
    input_notes = models.TextField(blank=True, help_text="What the data does not say.")
    minutes = models.TextField(blank=True)
    conclusions = models.TextField(
        blank=True, help_text="Is the AIMS still suitable, adequate and effective?"
    )
    decisions = models.TextField(
        blank=True, help_text="Decisions on improvement and on changes to the AIMS."
    )

    class Meta:
        db_table = "operations_managementreview"  # the table kept its name when the app was split
        ordering = ["-planned_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="ops_review_title")
        ]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.chair_id == user_id)
