"""Clause 6.1.4, 8.4 and Annex A.5: AI system impact assessments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel
from aimwell.impact_assessments.choices import IMPACT_AREA_KEYS, ImpactStatus

SIGNIFICANT_SCORE = 12  # severity x likelihood at or above this is a significant impact


class ImpactAssessment(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "intended_use",
        "foreseeable_misuse",
        "affected_individuals",
        "affected_groups",
        "vulnerable_groups",
        "societal_reach",
        "impacts",
        "overall_residual",
        "reassessment_triggers",
        "fria",
        "dpia_required",
        "dpia_reference",
        "owner_id",
        "next_review_date",
        "status",
    )

    system_path = "system"  # what narrows a guest (core.guests)
    reference = models.CharField(max_length=20)
    system = models.ForeignKey(
        "inventory.AISystem", on_delete=models.CASCADE, related_name="impact_assessments"
    )
    title = models.CharField(max_length=200)
    intended_use = models.TextField(blank=True)
    foreseeable_misuse = models.TextField(blank=True)
    affected_individuals = models.TextField(blank=True)
    affected_groups = models.TextField(blank=True)
    vulnerable_groups = models.TextField(blank=True)
    societal_reach = models.TextField(blank=True)
    # {"fairness": {"description", "severity", "likelihood", "mitigation", "residual_severity"}}
    impacts = models.JSONField(default=dict, blank=True)
    overall_residual = models.TextField(blank=True)
    reassessment_triggers = models.TextField(blank=True)
    fria_required = models.BooleanField(default=False)
    fria = models.JSONField(default=dict, blank=True)
    dpia_required = models.BooleanField(null=True, blank=True)
    dpia_reference = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_review_date = models.DateField(null=True, blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ImpactStatus.choices, default=ImpactStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "risks_impactassessment"  # created by the risks app, kept when it moved here
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="risks_ia_reference_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: Any) -> bool:
        if self.owner_id is not None and self.owner_id == user_id:
            return True
        return self.system.is_owned_by(user_id)

    @property
    def review_overdue(self) -> bool:
        return self.next_review_date is not None and self.next_review_date < timezone.localdate()

    def area_rows(self) -> list[dict[str, Any]]:
        from aimwell.impact_assessments.choices import IMPACT_AREA_LABELS

        rows = []
        for key in IMPACT_AREA_KEYS:
            data = self.impacts.get(key) or {}
            severity = int(data.get("severity") or 0)
            likelihood = int(data.get("likelihood") or 0)
            rows.append(
                {
                    "key": key,
                    "label": IMPACT_AREA_LABELS[key],
                    "description": data.get("description", ""),
                    "severity": severity or None,
                    "likelihood": likelihood or None,
                    "score": severity * likelihood,
                    "mitigation": data.get("mitigation", ""),
                    "residual_severity": data.get("residual_severity") or None,
                    "significant": severity * likelihood >= SIGNIFICANT_SCORE or severity >= 5,
                }
            )
        return rows

    def significant_areas(self) -> list[dict[str, Any]]:
        return [r for r in self.area_rows() if r["significant"]]
