"""AI incidents (A.8.4, EU AI Act Art. 73) and concerns reported by members (A.3.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel
from aimwell.incidents.choices import (
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
    SeriousKind,
)


class Incident(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "description",
        "severity",
        "harm",
        "occurred_at",
        "detected_at",
        "detection",
        "owner",
        "status",
        "response",
        "is_serious",
        "serious_kind",
        "aware_on",
        "report_deadline",
        "authority",
        "authority_reported_on",
        "affected_informed_on",
        "communication",
        "lessons",
    )

    system_path = "systems"  # what narrows a guest (core.guests)
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField()
    systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", db_table="ops_incident_systems"
    )
    severity = models.CharField(max_length=10, choices=IncidentSeverity.choices)
    harm = models.TextField(blank=True, help_text="Who was or could have been harmed, and how.")
    occurred_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)
    detection = models.TextField(blank=True, help_text="How it was detected.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    response = models.TextField(blank=True, help_text="Containment and response taken.")
    is_serious = models.BooleanField(
        default=False, help_text="A serious incident under the EU AI Act (Art. 3(49))."
    )
    serious_kind = models.CharField(max_length=30, choices=SeriousKind.choices, blank=True)
    aware_on = models.DateField(
        null=True, blank=True, help_text="When we became aware of it (starts the Art. 73 clock)."
    )
    report_deadline = models.DateField(null=True, blank=True)
    authority = models.CharField(max_length=200, blank=True)
    authority_reported_on = models.DateField(null=True, blank=True)
    affected_informed_on = models.DateField(null=True, blank=True)
    communication = models.TextField(
        blank=True, help_text="What was communicated to affected parties and authorities."
    )
    lessons = models.TextField(blank=True)

    class Meta:
        db_table = "operations_incident"  # the table kept its name when the app was split
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="ops_incident_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.owner_id == user_id)

    def days_to_report(self, on: dt.date | None = None) -> int | None:
        """Days left to report to the authority (negative once late); None when not due."""
        if self.report_deadline is None or self.authority_reported_on is not None:
            return None
        return (self.report_deadline - (on or timezone.localdate())).days


class Concern(OrganisationScopedModel):
    """A concern about an AI system. An anonymous concern stores nothing about its reporter but
    the digest of a follow-up code only they hold."""

    AUDIT_FIELDS = ("status", "triage_notes", "outcome", "handler", "system", "category")

    system_path = "system"  # what narrows a guest (core.guests)
    reference = models.CharField(max_length=20)
    system = models.ForeignKey(
        "inventory.AISystem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=20, choices=ConcernCategory.choices)
    description = models.TextField()
    is_anonymous = models.BooleanField(default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_digest = models.CharField(max_length=64, blank=True, db_index=True)
    received_on = models.DateField(default=timezone.localdate)
    status = models.CharField(
        max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triage_notes = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Concerns from outside arrive through the public transparency page: who they are is unknown,
    # they may leave an email to be answered, and they asked for one of three kinds of response.
    source = models.CharField(
        max_length=10, choices=ConcernSource.choices, default=ConcernSource.INTERNAL
    )
    kind = models.CharField(max_length=12, choices=ConcernKind.choices, default=ConcernKind.CONCERN)
    contact_email = models.EmailField(blank=True)

    class Meta:
        db_table = "operations_concern"  # the table kept its name when the app was split
        ordering = ["-received_on", "-reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="ops_concern_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_category_display()}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.handler_id == user_id)
