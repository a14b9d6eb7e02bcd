"""Clauses 6.1.2, 6.1.3, 8.2 and 8.3: the risk register, reassessment history and treatment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.core.models import OrganisationScopedModel
from aimwell.risks.choices import ActionStatus, AssessmentKind, RiskStatus, TreatmentOption


class Risk(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "description",
        "system_id",
        "risk_source_id",
        "custom_source",
        "objective_id",
        "objective_text",
        "causes",
        "consequences",
        "existing_controls",
        "owner_id",
        "review_date",
        "treatment_option",
        "treatment_plan",
        "status",
    )

    system_path = "system"  # what narrows a guest (core.guests)
    reference = models.CharField(max_length=20)
    # The number of the reference (R-1000 -> 1000), allocated with it: text order puts R-1000
    # before R-999, and the register's default order is this column's.
    sequence = models.PositiveBigIntegerField(default=0, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    system = models.ForeignKey(
        "inventory.AISystem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
        help_text="Empty for an organisation-wide risk.",
    )
    risk_source = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A risk source from the catalog (ISO/IEC 42001 Annex C).",
    )
    custom_source = models.CharField(max_length=200, blank=True)
    objective = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The AI objective the risk threatens (Annex C objectives).",
    )
    objective_text = models.CharField(max_length=300, blank=True)
    causes = models.TextField(blank=True)
    # {"individuals": {"rating": 4, "description": "..."}, ...}
    consequences = models.JSONField(default=dict, blank=True)
    existing_controls = models.TextField(blank=True)
    method = models.ForeignKey("risks.RiskMethod", on_delete=models.PROTECT, related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_consequence = models.PositiveSmallIntegerField()
    inherent_level = models.PositiveSmallIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_date = models.DateField(null=True, blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)
    treatment_option = models.CharField(max_length=10, choices=TreatmentOption.choices, blank=True)
    treatment_plan = models.TextField(blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_consequence = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_level = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by_label = models.CharField(max_length=200, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_level = models.PositiveSmallIntegerField(null=True, blank=True)
    acceptance_note = models.CharField(max_length=500, blank=True)
    origin_impact = models.ForeignKey(
        "impact_assessments.ImpactAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_risks",
    )
    origin_area = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["sequence", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="risks_reference_per_org"
            )
        ]
        # One index per order and filter of the register (querysets.SORTS): a page is read from
        # the index in order and stops after its rows (tests/test_query_plans.py checks the plans).
        indexes = [
            models.Index(fields=["organisation", "sequence", "reference"], name="risk_org_seq"),
            models.Index(
                fields=["organisation", "status", "sequence", "reference"], name="risk_org_status"
            ),
            models.Index(
                fields=["organisation", "-inherent_level", "sequence", "reference"],
                name="risk_org_level",
            ),
            models.Index(
                fields=["organisation", "-residual_level", "sequence", "reference"],
                name="risk_org_residual",
            ),
            models.Index(
                fields=["organisation", "review_date", "sequence", "reference"],
                name="risk_org_review",
            ),
            models.Index(fields=["organisation", "title", "sequence"], name="risk_org_title"),
            models.Index(fields=["system", "sequence", "reference"], name="risk_system_seq"),
            # The heat maps' GROUP BY, read from the index alone.
            models.Index(
                fields=["organisation", "inherent_likelihood", "inherent_consequence", "status"],
                name="risk_org_heat",
            ),
            models.Index(
                fields=["organisation", "residual_likelihood", "residual_consequence", "status"],
                name="risk_org_heat_residual",
            ),
            # Readiness and the pre-audit check count risks above a level, treated or not, open
            # or not, from the index alone (no read of the risks themselves).
            models.Index(
                fields=[
                    "organisation",
                    "inherent_level",
                    "status",
                    "treatment_option",
                    "residual_level",
                    "method",
                ],
                name="risk_org_treatment",
            ),
            # Readiness asks, per AI system, whether it has an open risk and whether one is due
            # for review: answered from the index, without reading the system's risks.
            models.Index(fields=["system", "status", "review_date"], name="risk_system_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: Any) -> bool:
        if self.owner_id is not None and self.owner_id == user_id:
            return True
        return self.system_id is not None and self.system.is_owned_by(user_id)  # type: ignore[union-attr]

    @property
    def current_level(self) -> int:
        """The residual level once assessed, else the inherent level."""
        return self.residual_level if self.residual_level is not None else self.inherent_level

    @property
    def review_overdue(self) -> bool:
        return (
            self.review_date is not None
            and self.review_date < timezone.localdate()
            and self.status != RiskStatus.CLOSED
        )

    @property
    def source_label(self) -> str:
        if self.risk_source_id is not None:
            return f"{self.risk_source.ref_id} {self.risk_source.title}"  # type: ignore[union-attr]
        return self.custom_source or "—"

    @property
    def objective_label(self) -> str:
        if self.objective_id is not None:
            return f"{self.objective.ref_id} {self.objective.title}"  # type: ignore[union-attr]
        return self.objective_text or "—"


class RiskAssessment(OrganisationScopedModel):
    """One assessment of a risk (inherent or residual), kept forever: the history of scores and
    the method version each used."""

    system_path = "risk__system"  # what narrows a guest (core.guests)
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices)
    method = models.ForeignKey("risks.RiskMethod", on_delete=models.PROTECT, related_name="+")
    likelihood = models.PositiveSmallIntegerField()
    consequence = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField()
    ratings = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)
    assessed_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.risk.reference} {self.kind} {self.level}"

    def is_owned_by(self, user_id: Any) -> bool:
        return self.risk.is_owned_by(user_id)


class TreatmentAction(OrganisationScopedModel):
    AUDIT_FIELDS = ("title", "description", "owner_id", "due_date", "status")

    system_path = "risk__system"  # what narrows a guest (core.guests)
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default="open")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [
            # The register page's first overdue actions: the organisation's range in due-date
            # order, read until ten open ones are found.
            models.Index(fields=["organisation", "due_date", "status"], name="action_org_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: Any) -> bool:
        return (self.owner_id is not None and self.owner_id == user_id) or self.risk.is_owned_by(
            user_id
        )

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        )

    @property
    def days_overdue(self) -> int:
        if not self.is_overdue:
            return 0
        return (timezone.localdate() - self.due_date).days  # type: ignore[operator]


class SelectedControl(OrganisationScopedModel):
    """A control the treatment of a risk selects: an Annex A control or one of the organisation's
    own. The Statement of Applicability is derived from these."""

    system_path = "risk__system"  # what narrows a guest (core.guests)
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="selected_controls")
    node = models.ForeignKey(
        "catalog.RequirementNode", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    custom = models.ForeignKey(
        "controls.CustomControl",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="selections",
    )
    rationale = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # Whether an open risk selects a control, and the selections per control (the SoA,
            # readiness): a seek on (organisation, control), not a scan of every selection.
            models.Index(fields=["organisation", "node", "custom"], name="risk_sel_org_control"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["risk", "node"], name="risks_select_node_once"),
            models.UniqueConstraint(fields=["risk", "custom"], name="risks_select_custom_once"),
            models.CheckConstraint(
                condition=models.Q(node__isnull=False, custom__isnull=True)
                | models.Q(node__isnull=True, custom__isnull=False),
                name="risks_select_one_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.node_id is not None:
            return f"{self.node.ref_id} {self.node.title}"  # type: ignore[union-attr]
        return str(self.custom)

    def is_owned_by(self, user_id: Any) -> bool:
        return self.risk.is_owned_by(user_id)

    @property
    def control_key(self) -> str:
        return str(self.node_id or self.custom_id)


def review_date_after(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
