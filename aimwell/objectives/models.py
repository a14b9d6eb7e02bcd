"""Measurable AI objectives (6.2) and their measurements over time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel
from aimwell.objectives.choices import MeasurementSource, ObjectiveDirection, ObjectiveStatus


class AIObjective(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "description",
        "measure",
        "unit",
        "baseline",
        "target",
        "direction",
        "owner",
        "due_date",
        "annex_c",
        "business_objective",
        "status",
    )

    system_path = "systems"  # what narrows a guest (core.guests)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=300, help_text="What is measured, and how.")
    unit = models.CharField(max_length=40, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField()
    direction = models.CharField(
        max_length=10, choices=ObjectiveDirection.choices, default=ObjectiveDirection.AT_LEAST
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField()
    annex_c = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Annex C objective it serves.",
    )
    business_objective = models.ForeignKey(
        "context.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", db_table="ops_objective_systems"
    )
    status = models.CharField(
        max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    latest_value = models.FloatField(null=True, blank=True)
    latest_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "operations_aiobjective"  # the table kept its name when the app was split
        ordering = ["due_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="ops_objective_title")
        ]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.owner_id == user_id)

    def meets(self, value: float) -> bool:
        if self.direction == ObjectiveDirection.AT_MOST:
            return value <= self.target
        return value >= self.target


class Measurement(OrganisationScopedModel):
    system_path = "objective__systems"  # what narrows a guest (core.guests)
    objective = models.ForeignKey(
        AIObjective, on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField(default=timezone.localdate)
    value = models.FloatField()
    source = models.CharField(
        max_length=20, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "operations_measurement"  # the table kept its name when the app was split
        ordering = ["objective", "-measured_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.objective}: {self.value} on {self.measured_on}"
