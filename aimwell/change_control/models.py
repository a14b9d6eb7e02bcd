"""Change requests (clause 6.3): a planned change to the AIMS or to an AI system."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.change_control.choices import ChangeScope, ChangeStatus
from aimwell.core.models import OrganisationScopedModel
from aimwell.lifecycle.models import SystemRecordQuerySet

USER = settings.AUTH_USER_MODEL


class ChangeRequest(OrganisationScopedModel):
    """Clause 6.3: a planned change to the AIMS or to an AI system, from its reason to the review
    after it was made."""

    FIELDS = (
        "title",
        "scope",
        "system",
        "reason",
        "what_changes",
        "impact_on_risks",
        "impact_on_assessments",
        "impact_on_soa",
        "impact_on_documents",
        "planned_for",
        "review_after",
        "owner",
    )

    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    scope = models.CharField(max_length=10, choices=ChangeScope.choices)
    system = models.ForeignKey(
        "inventory.AISystem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    what_changes = models.TextField()
    impact_on_risks = models.TextField(blank=True)
    impact_on_assessments = models.TextField(blank=True)
    impact_on_soa = models.TextField(blank=True)
    impact_on_documents = models.TextField(blank=True)
    planned_for = models.DateField(null=True, blank=True)
    review_after = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    implemented_on = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = SystemRecordQuerySet.as_manager()  # type: ignore[misc]
    system_path = "system"

    class Meta:
        db_table = "lifecycle_changerequest"  # created by the lifecycle app, kept when it moved
        ordering = ["-reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="lifecycle_change_reference"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: Any) -> bool:
        if self.owner_id is not None and self.owner_id == user_id:
            return True
        return self.system_id is not None and bool(self.system.is_owned_by(user_id))  # type: ignore[union-attr]
