"""The certification project of an organisation: the certification body, the application, the
audits of the three-year cycle with their external findings, the certificate, and the engagements
that let an external auditor (a guest member) work on one audit for a time box."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aimwell.certification.choices import (
    NC_GRADES,
    Area,
    AuditKind,
    AuditOutcome,
    AuditStatus,
    Grade,
    RequestStatus,
    SampleType,
)
from aimwell.core.models import OrganisationScopedModel, OrganisationScopedQuerySet


class CertificationProject(OrganisationScopedModel):
    """One per organisation: who certifies the AIMS and what was applied for."""

    AUDIT_FIELDS = (
        "body_name",
        "accreditation_body",
        "accreditation_number",
        "contact_name",
        "contact_email",
        "standard",
        "applied_on",
        "application_notes",
    )

    body_name = models.CharField("certification body", max_length=200, blank=True)
    accreditation_body = models.CharField(max_length=200, blank=True)
    accreditation_number = models.CharField(max_length=100, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    standard = models.CharField(max_length=100, default="ISO/IEC 42001:2023")
    applied_on = models.DateField(null=True, blank=True)
    application_notes = models.TextField(blank=True)
    submitted_documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", db_table="cert_project_documents"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="cert_one_project_per_org")
        ]

    def __str__(self) -> str:
        return f"Certification with {self.body_name or 'a body not chosen yet'}"

    @property
    def body_chosen(self) -> bool:
        return bool(self.body_name.strip())


class ExternalAudit(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "kind",
        "title",
        "planned_start",
        "planned_end",
        "scope",
        "areas",
        "all_systems",
        "lead_auditor",
        "team",
        "plan",
        "status",
        "outcome",
        "outcome_notes",
        "completed_on",
        "cycle",
    )

    project = models.ForeignKey(
        CertificationProject, on_delete=models.CASCADE, related_name="audits"
    )
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    title = models.CharField(max_length=200, blank=True)
    cycle = models.PositiveSmallIntegerField(default=1)
    planned_start = models.DateField()
    planned_end = models.DateField()
    scope = models.TextField(blank=True)
    areas = models.JSONField(default=list, blank=True)
    all_systems = models.BooleanField(default=True)
    systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", db_table="cert_audit_systems"
    )
    lead_auditor = models.CharField(max_length=200, blank=True)
    team = models.TextField(blank=True, help_text="One auditor per line.")
    plan = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    outcome = models.CharField(max_length=20, choices=AuditOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["planned_start", "kind"]
        indexes = [models.Index(fields=["organisation", "status", "planned_start"])]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def team_members(self) -> list[str]:
        return [line.strip() for line in self.team.splitlines() if line.strip()]

    @property
    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas if a in Area.values]

    @property
    def is_open(self) -> bool:
        return self.status in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


class FindingQuerySet(OrganisationScopedQuerySet):
    def open(self) -> FindingQuerySet:
        """Major and minor findings whose nonconformity is not closed yet."""
        return self.filter(grade__in=NC_GRADES).exclude(nonconformity__status="closed")


class ExternalFinding(OrganisationScopedModel):
    """A finding of the certification body. Major and minor ones open a nonconformity in the
    operations registers; the finding is closed when that nonconformity is (after its corrective
    action is done and verified effective), so there is one place to follow it up."""

    AUDIT_FIELDS = ("reference", "grade", "title", "description", "requirement", "nonconformity")

    audit = models.ForeignKey(ExternalAudit, on_delete=models.CASCADE, related_name="findings")
    engagement = models.ForeignKey(
        "certification.Engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    reference = models.CharField(max_length=20)
    grade = models.CharField(max_length=20, choices=Grade.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    requirement = models.ForeignKey(
        "catalog.RequirementNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nonconformity = models.OneToOneField(
        "improvement.Nonconformity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_finding",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FindingQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="cert_finding_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        if self.grade not in NC_GRADES:
            return False
        return self.nonconformity is None or self.nonconformity.status != "closed"

    @property
    def state(self) -> str:
        if self.grade not in NC_GRADES:
            return "noted"
        return "open" if self.is_open else "closed"


class Certificate(OrganisationScopedModel):
    AUDIT_FIELDS = ("number", "issued_on", "expires_on", "scope", "cycle")

    project = models.ForeignKey(
        CertificationProject, on_delete=models.CASCADE, related_name="certificates"
    )
    audit = models.OneToOneField(
        ExternalAudit, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(max_length=100)
    issued_on = models.DateField()
    expires_on = models.DateField()
    scope = models.TextField()
    cycle = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"Certificate {self.number}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.issued_on <= today < self.expires_on


class EngagementQuerySet(OrganisationScopedQuerySet):
    def current(self) -> EngagementQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


class Engagement(OrganisationScopedModel):
    """A guest's access to one audit for a time box. The end also bounds the guest membership's
    expiry, so access ends by itself even if nobody revokes it."""

    AUDIT_FIELDS = ("membership", "audit", "starts_at", "ends_at", "revoked_at")

    audit = models.ForeignKey(ExternalAudit, on_delete=models.CASCADE, related_name="engagements")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="engagements"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EngagementQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.membership.user} on {self.audit}"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at


class Sample(OrganisationScopedModel):
    AUDIT_FIELDS = ("object_type", "object_id", "label", "note")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="samples")
    object_type = models.CharField(max_length=20, choices=SampleType.choices)
    object_id = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["object_type", "label"]

    def __str__(self) -> str:
        return self.label


class Comment(OrganisationScopedModel):
    AUDIT_FIELDS = ("body",)

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class EvidenceAsk(OrganisationScopedModel):
    """The guest asks an owner for evidence by a date; the owner or a manager answers with an
    evidence item or a note."""

    AUDIT_FIELDS = ("title", "description", "owner", "due_date", "status", "answer", "evidence")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="asks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answer = models.TextField(blank=True)
    evidence = models.ForeignKey(
        "evidence.EvidenceItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, user_id: Any) -> bool:
        return self.owner_id == user_id

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.status == RequestStatus.OPEN and self.due_date < (on or timezone.localdate())
