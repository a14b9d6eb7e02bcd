"""Nonconformities and corrective action (10.2), and the tracked actions of every source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel
from aimwell.improvement.choices import ActionStatus, Effectiveness, NCSource, NCStatus, Severity


class Nonconformity(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "description",
        "source",
        "severity",
        "requirement",
        "owner",
        "due_date",
        "status",
        "correction",
        "correction_done_on",
        "root_cause",
        "root_cause_method",
        "verification_result",
        "verification_notes",
        "verified_by",
        "verified_on",
        "closed_on",
    )

    system_path = "systems"  # what narrows a guest (core.guests)
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField()
    source = models.CharField(max_length=20, choices=NCSource.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MINOR)
    finding = models.OneToOneField(
        "internal_audit.Finding",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nonconformity",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nonconformities",
    )
    concern = models.ForeignKey(
        "incidents.Concern",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nonconformities",
    )
    review = models.ForeignKey(
        "management_review.ManagementReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nonconformities",
    )
    requirement = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", db_table="ops_nc_systems"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_on = models.DateField(default=timezone.localdate)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=NCStatus.choices, default=NCStatus.OPEN)
    correction = models.TextField(blank=True, help_text="What was done at once to contain it.")
    correction_done_on = models.DateField(null=True, blank=True)
    root_cause = models.TextField(blank=True)
    root_cause_method = models.CharField(
        max_length=100, blank=True, help_text="e.g. five whys, fishbone"
    )
    verification_result = models.CharField(max_length=20, choices=Effectiveness.choices, blank=True)
    verification_notes = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "operations_nonconformity"  # the table kept its name when the app was split
        ordering = ["-raised_on", "-reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="ops_nc_ref")
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.owner_id == user_id)

    def is_overdue(self, on: dt.date | None = None) -> bool:
        today = on or timezone.localdate()
        return (
            self.status != NCStatus.CLOSED and self.due_date is not None and self.due_date < today
        )


class Action(OrganisationScopedModel):
    """A tracked action: corrective (of a nonconformity) or decided by a management review."""

    AUDIT_FIELDS = ("title", "description", "owner", "due_date", "status", "completion_note")

    system_path = "nonconformity__systems"  # what narrows a guest (core.guests)
    nonconformity = models.ForeignKey(
        Nonconformity, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    review = models.ForeignKey(
        "management_review.ManagementReview",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)

    class Meta:
        db_table = "operations_action"  # the table kept its name when the app was split
        ordering = ["due_date", "title"]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: Any) -> bool:
        return self.owner_id == user_id or bool(
            self.nonconformity_id and self.nonconformity.owner_id == user_id  # type: ignore[union-attr]
        )

    @property
    def kind(self) -> str:
        return "corrective" if self.nonconformity_id else "review"

    def is_overdue(self, on: dt.date | None = None) -> bool:
        today = on or timezone.localdate()
        return (
            self.status == ActionStatus.OPEN and self.due_date is not None and self.due_date < today
        )
