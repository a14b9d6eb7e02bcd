"""Life-cycle records of AI systems (ISO/IEC 42001 A.6.2.2-A.6.2.8) and change requests (6.3).

Each record belongs to one AI system, has an owner, a status and a version number that every
audited change increments (the audit trail keeps each version's before and after). Evidence links
to these records through the evidence app's link registry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel, OrganisationScopedQuerySet
from aimwell.lifecycle.choices import (
    AcceptanceKind,
    ApproverDesignation,
    Comparison,
    CriterionKind,
    RecordStatus,
)

USER = settings.AUTH_USER_MODEL


class SystemRecordQuerySet(OrganisationScopedQuerySet):
    def for_systems(self, system_ids: Any) -> SystemRecordQuerySet:
        """Narrow to some AI systems (a guest's audit scope when it names them); None keeps all."""
        return self if system_ids is None else self.filter(system_id__in=list(system_ids))


class SystemRecord(OrganisationScopedModel):
    """What every life-cycle record has: its system, owner, status and version."""

    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = SystemRecordQuerySet.as_manager()  # type: ignore[misc]
    # How a guest's audit scope reaches the AI system (aimwell.core.guests).
    system_path = "system"

    class Meta:
        abstract = True

    def is_owned_by(self, user_id: Any) -> bool:
        if self.owner_id is not None and self.owner_id == user_id:
            return True
        return bool(self.system.is_owned_by(user_id))


class RequirementsSpec(SystemRecord):
    """A.6.2.2: what the system must do and within which limits. Its measurable acceptance
    criteria are those of the system's V&V plan."""

    FIELDS = (
        "intended_purpose",
        "intended_users",
        "functional_requirements",
        "performance_requirements",
        "fairness_requirements",
        "robustness_requirements",
        "constraints",
        "legal_requirements",
        "owner",
    )

    intended_purpose = models.TextField()
    intended_users = models.TextField(blank=True)
    functional_requirements = models.TextField(blank=True)
    performance_requirements = models.TextField(blank=True)
    fairness_requirements = models.TextField(blank=True)
    robustness_requirements = models.TextField(blank=True)
    constraints = models.TextField(blank=True)
    legal_requirements = models.TextField(
        blank=True, help_text="Laws and obligations from the regulatory register that apply."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system"], name="lifecycle_one_spec")]

    def __str__(self) -> str:
        return f"Requirements of {self.system} (v{self.version})"


class DesignRecord(SystemRecord):
    """A.6.2.3: how the system was designed and built, and why."""

    FIELDS = (
        "architecture",
        "model_choices",
        "assumptions",
        "build_tooling",
        "compute",
        "human_oversight_design",
        "alternatives_rejected",
        "standards_applied",
        "owner",
    )

    architecture = models.TextField()
    model_choices = models.TextField(blank=True, help_text="Model choices and their reasons.")
    assumptions = models.TextField(blank=True)
    build_tooling = models.TextField(blank=True)
    compute = models.TextField(blank=True, help_text="Compute used to train and test.")
    human_oversight_design = models.TextField(
        blank=True, help_text="How people oversee, stop or override it (EU AI Act Art. 14)."
    )
    alternatives_rejected = models.TextField(blank=True)
    standards_applied = models.TextField(blank=True)
    datasets = models.ManyToManyField("inventory.Dataset", blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system"], name="lifecycle_one_design")]

    def __str__(self) -> str:
        return f"Design of {self.system} (v{self.version})"


class VVPlan(SystemRecord):
    """A.6.2.4: the verification and validation plan. Its criteria are frozen (timestamped and
    hashed) before results count; after that nothing in them changes."""

    FIELDS = ("scope", "method", "owner")

    scope = models.TextField(blank=True, help_text="What is verified and validated, on what data.")
    method = models.TextField(blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by_label = models.CharField(max_length=200, blank=True)
    criteria_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system"], name="lifecycle_one_vv_plan")]

    def __str__(self) -> str:
        return f"V&V plan of {self.system}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class AcceptanceCriterion(OrganisationScopedModel):
    FIELDS = ("key", "kind", "metric", "comparison", "threshold", "group", "description")

    plan = models.ForeignKey(VVPlan, on_delete=models.CASCADE, related_name="criteria")
    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, help_text="A short name, e.g. AC-1.")
    kind = models.CharField(max_length=20, choices=CriterionKind.choices)
    metric = models.CharField(max_length=80)
    comparison = models.CharField(max_length=3, choices=Comparison.choices)
    threshold = models.FloatField()
    group = models.CharField(max_length=200, blank=True, help_text="Empty: the whole population.")
    description = models.CharField(max_length=500, blank=True)

    objects = SystemRecordQuerySet.as_manager()  # type: ignore[misc]
    system_path = "system"

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="lifecycle_criterion_key")
        ]

    def __str__(self) -> str:
        where = f" for {self.group}" if self.group else ""
        return (
            f"{self.key}: {self.metric}{where} {self.get_comparison_display()} {self.threshold:g}"
        )

    def met_by(self, value: float) -> bool:
        return {
            Comparison.AT_LEAST: value >= self.threshold,
            Comparison.AT_MOST: value <= self.threshold,
            Comparison.ABOVE: value > self.threshold,
            Comparison.BELOW: value < self.threshold,
        }[Comparison(self.comparison)]

    def is_owned_by(self, user_id: Any) -> bool:
        return self.plan.is_owned_by(user_id)


class VVResult(OrganisationScopedModel):
    """One measurement against a criterion; `passed` is decided by the service from the frozen
    threshold, never entered."""

    criterion = models.ForeignKey(
        AcceptanceCriterion, on_delete=models.CASCADE, related_name="results"
    )
    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    value = models.FloatField()
    passed = models.BooleanField()
    measured_on = models.DateField()
    monitor_run = models.ForeignKey(
        "monitoring.MonitorRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    recorded_by_label = models.CharField(max_length=200)

    objects = SystemRecordQuerySet.as_manager()  # type: ignore[misc]
    system_path = "system"

    class Meta:
        ordering = ["measured_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.criterion.key} = {self.value:g} ({'pass' if self.passed else 'fail'})"


class CriterionAcceptance(OrganisationScopedModel):
    """A residual-risk acceptance of a failed or waived criterion, within the acceptor's
    risk-acceptance authority (the organisation's risk method scores the residual level)."""

    criterion = models.ForeignKey(
        AcceptanceCriterion, on_delete=models.CASCADE, related_name="acceptances"
    )
    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AcceptanceKind.choices)
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_consequence = models.PositiveSmallIntegerField()
    residual_level = models.PositiveSmallIntegerField()
    method = models.ForeignKey("risks.RiskMethod", on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by_label = models.CharField(max_length=200)
    accepted_at = models.DateTimeField()

    objects = SystemRecordQuerySet.as_manager()  # type: ignore[misc]
    system_path = "system"

    class Meta:
        ordering = ["accepted_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.criterion.key} (level {self.residual_level})"


class DeploymentApproval(OrganisationScopedModel):
    """A.6.2.5: the approval to deploy one model version of a system, with the preconditions as
    they were computed when it was given. It covers that version only: when the system's model
    version moves on, the approval reads as reopened (computed, not stored)."""

    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey("inventory.AIModel", on_delete=models.PROTECT, related_name="+")
    model_label = models.CharField(max_length=260)
    number = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(max_length=200)
    approved_at = models.DateTimeField()
    designation = models.CharField(max_length=30, choices=ApproverDesignation.choices)
    preconditions = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)

    objects = SystemRecordQuerySet.as_manager()  # type: ignore[misc]
    system_path = "system"

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["system", "number"], name="lifecycle_approval_number")
        ]

    def __str__(self) -> str:
        return f"Deployment approval {self.number} of {self.system}: {self.model_label}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.system.is_owned_by(user_id))


class LoggingPolicy(SystemRecord):
    """A.6.2.8: which events the system logs, where, and for how long."""

    FIELDS = ("events_logged", "storage_location", "retention_days", "access_control", "owner")

    events_logged = models.TextField()
    storage_location = models.CharField(max_length=300)
    retention_days = models.PositiveIntegerField()
    access_control = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system"], name="lifecycle_one_log_policy")]

    def __str__(self) -> str:
        return f"Event-log policy of {self.system} ({self.retention_days} days)"


class LifecycleSettings(models.Model):
    """Per organisation: which designation a member needs to approve a deployment."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    approver_designation = models.CharField(
        max_length=30,
        choices=ApproverDesignation.choices,
        default=ApproverDesignation.TOP_MANAGEMENT,
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Life-cycle settings of {self.organisation_id}"
