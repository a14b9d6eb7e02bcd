"""Clause 4.1 and 4.2: the issues that shape the AIMS, interested parties and their
requirements, the organisation's AI roles, the legal register and business objectives."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aimwell.context.choices import (
    IssueCategory,
    IssueKind,
    ObjectiveStatus,
    PartyCategory,
    PartyKind,
    RequirementKind,
)
from aimwell.core.models import OrganisationScopedModel
from aimwell.inventory.choices import AIRole


def _owner(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class ContextIssue(OrganisationScopedModel):
    """An internal or external issue relevant to the AIMS (clause 4.1)."""

    AUDIT_FIELDS = (
        "title",
        "kind",
        "category",
        "description",
        "effect",
        "owner",
        "is_active",
        "last_reviewed",
    )

    system_path = "systems"  # what narrows a guest (core.guests)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=IssueKind.choices)
    category = models.CharField(max_length=20, choices=IssueCategory.choices)
    description = models.TextField(blank=True)
    effect = models.TextField(
        blank=True, help_text="How the issue affects the AIMS and its results."
    )
    owner = _owner("+")
    is_active = models.BooleanField(default=True)
    last_reviewed = models.DateField(null=True, blank=True, help_text="When it was last reviewed.")
    systems = models.ManyToManyField("inventory.AISystem", blank=True, related_name="+")

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="context_issue_title")
        ]

    def __str__(self) -> str:
        return self.title


class InterestedParty(OrganisationScopedModel):
    """A party relevant to the AIMS, with its needs and whether they become requirements (4.2)."""

    AUDIT_FIELDS = (
        "name",
        "kind",
        "category",
        "needs",
        "is_requirement",
        "how_addressed",
        "owner",
        "last_reviewed",
    )

    system_path = "systems"  # what narrows a guest (core.guests)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    category = models.CharField(max_length=20, choices=PartyCategory.choices)
    needs = models.TextField(blank=True, help_text="Their needs and expectations.")
    is_requirement = models.BooleanField(
        default=False, help_text="The AIMS addresses these needs as requirements."
    )
    how_addressed = models.TextField(blank=True)
    owner = _owner("+")
    last_reviewed = models.DateField(null=True, blank=True, help_text="When it was last reviewed.")
    systems = models.ManyToManyField("inventory.AISystem", blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "interested parties"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="context_party_name")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationAIRole(OrganisationScopedModel):
    """A role the organisation plays for AI (ISO/IEC 22989), with what it means here."""

    AUDIT_FIELDS = ("role", "note")

    role = models.CharField(max_length=20, choices=AIRole.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "role"], name="context_ai_role_once")
        ]

    def __str__(self) -> str:
        return AIRole(self.role).label


class LegalRequirement(OrganisationScopedModel):
    """A legal, regulatory or contractual requirement, applicable to some AI systems."""

    AUDIT_FIELDS = (
        "name",
        "kind",
        "jurisdiction",
        "reference",
        "url",
        "summary",
        "owner",
        "is_active",
        "last_reviewed",
    )

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=RequirementKind.choices)
    jurisdiction = models.CharField(max_length=120, blank=True)
    reference = models.CharField(
        max_length=200, blank=True, help_text="e.g. Regulation (EU) 2016/679"
    )
    url = models.URLField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    owner = _owner("+")
    is_active = models.BooleanField(default=True)
    last_reviewed = models.DateField(null=True, blank=True, help_text="When it was last reviewed.")
    catalog_nodes = models.ManyToManyField("catalog.RequirementNode", blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="context_legal_name")
        ]

    def __str__(self) -> str:
        return self.name


class Applicability(OrganisationScopedModel):
    """A requirement applies to an AI system, and how."""

    AUDIT_FIELDS = ("requirement", "system", "note")

    system_path = "system"  # what narrows a guest (core.guests)
    requirement = models.ForeignKey(
        LegalRequirement, on_delete=models.CASCADE, related_name="applicability"
    )
    system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["system__name"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "system"], name="context_applies_once")
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} applies to {self.system_id}"


class Objective(OrganisationScopedModel):
    """A strategic or business objective the AIMS aligns with (4.1, 5.2, 6.2)."""

    AUDIT_FIELDS = ("title", "description", "owner", "target_date", "status")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = _owner("+")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.ACTIVE
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="context_objective_title"
            )
        ]

    def __str__(self) -> str:
        return self.title
