"""The organisation's own controls, the Statement of Applicability with approved versions, the
baseline self-assessment, readiness overrides and readiness snapshots."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    PARTIAL = "partial", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"


class ReadinessStatus(models.TextChoices):
    READY = "ready", "Ready"
    PARTIAL = "partial", "Partial"
    GAP = "gap", "Gap"


class SoAVersionStatus(models.TextChoices):
    DRAFT = "draft", "Awaiting approval"
    APPROVED = "approved", "Approved"


class CustomControl(OrganisationScopedModel):
    """A control of the organisation's own, beside the Annex A reference controls."""

    AUDIT_FIELDS = ("code", "title", "description")

    code = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="controls_code_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SoAEntry(OrganisationScopedModel):
    """The organisation's decision about one control. Absent means undecided."""

    AUDIT_FIELDS = ("applicable", "justification", "obligations", "status", "owner_id")

    node = models.ForeignKey(
        "catalog.RequirementNode", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    custom = models.OneToOneField(
        CustomControl, null=True, blank=True, on_delete=models.CASCADE, related_name="entry"
    )
    applicable = models.BooleanField(null=True, blank=True)
    justification = models.TextField(blank=True)
    obligations = models.TextField(
        blank=True, help_text="Legal, contractual or business reasons that require the control."
    )
    status = models.CharField(
        max_length=20, choices=ImplementationStatus.choices, default="not_started"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "node"], name="controls_soa_node_once")
        ]

    def __str__(self) -> str:
        if self.node_id is not None:
            return f"SoA {self.node.ref_id}"  # type: ignore[union-attr]
        return f"SoA {self.custom}"

    def is_owned_by(self, user_id: Any) -> bool:
        return self.owner_id is not None and self.owner_id == user_id


class SoAVersion(OrganisationScopedModel):
    """A snapshot of the whole SoA, approved by top management; never changed afterwards."""

    number = models.PositiveIntegerField()
    rows = models.JSONField()
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=SoAVersionStatus.choices, default="draft")
    created_by_label = models.CharField(max_length=200)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="controls_soa_version_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"SoA v{self.number}"


class BaselineEntry(OrganisationScopedModel):
    """Where the organisation stood before building its AIMS in the tool, per requirement."""

    AUDIT_FIELDS = ("practice", "maturity", "notes")

    node = models.ForeignKey("catalog.RequirementNode", on_delete=models.CASCADE, related_name="+")
    practice = models.TextField(blank=True, help_text="What the organisation did at the time.")
    maturity = models.PositiveSmallIntegerField(help_text="0 (nothing) to 5 (optimised).")
    notes = models.TextField(blank=True)
    recorded_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "node"], name="controls_baseline_node_once"
            ),
            models.CheckConstraint(
                condition=models.Q(maturity__lte=5), name="controls_baseline_maturity_0_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Baseline {self.node.ref_id}: {self.maturity}"


class ReadinessOverride(OrganisationScopedModel):
    """A person's judgement that replaces the computed readiness of one requirement or control."""

    node = models.ForeignKey("catalog.RequirementNode", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ReadinessStatus.choices)
    reason = models.CharField(max_length=500)
    decided_by_label = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "node"], name="controls_override_node_once"
            )
        ]

    def __str__(self) -> str:
        return f"Override {self.node.ref_id}: {self.status}"


class ReadinessSnapshot(OrganisationScopedModel):
    """The readiness score and its parts at one moment, for the trend."""

    score = models.FloatField()
    components = models.JSONField()
    counts = models.JSONField()
    taken_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Readiness {self.score:.1f} on {self.created_at:%Y-%m-%d}"
