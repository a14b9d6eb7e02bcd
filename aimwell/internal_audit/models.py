"""Internal audit (9.2): the programme over a cycle, audits, their checklists and findings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel
from aimwell.internal_audit.choices import AuditStatus, ChecklistResult, FindingKind


class AuditProgramme(OrganisationScopedModel):
    AUDIT_FIELDS = ("title", "cycle_start", "cycle_end", "objectives", "owner")

    title = models.CharField(max_length=200)
    cycle_start = models.DateField()
    cycle_end = models.DateField()
    objectives = models.TextField(blank=True, help_text="What the programme must establish.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "operations_auditprogramme"  # the table kept its name when the app was split
        ordering = ["-cycle_start"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="ops_programme_title")
        ]

    def __str__(self) -> str:
        return self.title


class Audit(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "title",
        "programme",
        "scope",
        "criteria",
        "processes",
        "lead_auditor",
        "planned_start",
        "planned_end",
        "status",
        "conclusion",
    )

    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    programme = models.ForeignKey(
        AuditProgramme, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    scope = models.TextField(help_text="What the audit covers.")
    criteria = models.TextField(
        blank=True, help_text="What it is audited against: the standard, policies, procedures."
    )
    processes = models.JSONField(default=list, blank=True)
    requirements = models.ManyToManyField(
        "catalog.RequirementNode", blank=True, related_name="+", db_table="ops_audit_requirements"
    )
    sampled_systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", db_table="ops_audit_systems"
    )
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_start = models.DateField()
    planned_end = models.DateField()
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    conclusion = models.TextField(blank=True)
    reported_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "operations_audit"  # the table kept its name when the app was split
        ordering = ["-planned_start", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="ops_audit_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.lead_auditor_id == user_id)


class ChecklistItem(OrganisationScopedModel):
    AUDIT_FIELDS = ("result", "notes", "evidence_reviewed")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist")
    requirement = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.TextField()
    position = models.PositiveIntegerField(default=0)
    result = models.CharField(
        max_length=20, choices=ChecklistResult.choices, default=ChecklistResult.NOT_ASSESSED
    )
    notes = models.TextField(blank=True)
    evidence_reviewed = models.TextField(blank=True)

    class Meta:
        db_table = "operations_checklistitem"  # the table kept its name when the app was split
        ordering = ["audit", "position"]

    def __str__(self) -> str:
        return self.question[:80]

    def is_owned_by(self, user_id: Any) -> bool:
        return bool(self.audit.lead_auditor_id == user_id)


class Finding(OrganisationScopedModel):
    AUDIT_FIELDS = ("kind", "title", "description", "requirement", "system", "evidence_reviewed")

    system_path = "system"  # what narrows a guest (core.guests)
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    reference = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    requirement = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    system = models.ForeignKey(
        "inventory.AISystem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_reviewed = models.TextField(
        blank=True, help_text="What the auditor looked at: records, interviews, samples."
    )
    evidence = models.ManyToManyField(
        "evidence.EvidenceItem", blank=True, related_name="+", db_table="ops_finding_evidence"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "operations_finding"  # the table kept its name when the app was split
        ordering = ["audit", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="ops_finding_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_nonconformity(self) -> bool:
        return self.kind in (FindingKind.MAJOR, FindingKind.MINOR)
