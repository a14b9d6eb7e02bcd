"""Clause 5.1, 5.3 and A.3.2: principles, AIMS roles and RACI, oversight bodies, leadership.

The models came from the context app and kept their tables (`db_table`), constraint and index
names; their many-to-many tables follow from the table names, so they kept theirs too."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from aimwell.core.models import OrganisationScopedModel
from aimwell.governance.choices import BodyKind, DecisionStatus, PrincipleStatus, Raci


class Principle(OrganisationScopedModel):
    """A responsible-AI principle the organisation adopts; policies, objectives and controls
    link to it."""

    AUDIT_FIELDS = ("name", "statement", "rationale", "owner", "status")

    name = models.CharField(max_length=120)
    statement = models.TextField()
    rationale = models.TextField(blank=True)
    owner = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=PrincipleStatus.choices, default=PrincipleStatus.DRAFT
    )
    catalog_nodes = models.ManyToManyField("catalog.RequirementNode", blank=True, related_name="+")

    class Meta:
        db_table = "context_principle"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="context_principle_name")
        ]

    def __str__(self) -> str:
        return self.name


class PrincipleLink(OrganisationScopedModel):
    """A link from a principle to any object of the organisation (a policy, an objective, a
    control), by its model label and key, so later apps link without a migration here."""

    AUDIT_FIELDS = ("principle", "object_type", "object_id", "object_label")

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="links")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=300)

    class Meta:
        db_table = "context_principlelink"
        ordering = ["object_type", "object_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "object_type", "object_id"], name="context_principle_link"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "object_type", "object_id"],
                name="context_pri_organis_5149bf_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_label}"

    @property
    def kind_label(self) -> str:
        """The linked object's kind in words (e.g. "AI system"), or its label if unknown."""
        try:
            name = str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type
        name = re.sub(r"\bai\b", "AI", name)
        return name[:1].upper() + name[1:]


class AIMSRole(OrganisationScopedModel):
    """A role in the AIMS (e.g. AI governance lead) with its responsibilities and holders."""

    AUDIT_FIELDS = ("name", "responsibilities", "authorities")

    name = models.CharField(max_length=120)
    responsibilities = models.TextField(blank=True)
    authorities = models.TextField(blank=True)
    holders = models.ManyToManyField("accounts.Membership", blank=True, related_name="+")

    class Meta:
        db_table = "context_aimsrole"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="context_aims_role_name")
        ]

    def __str__(self) -> str:
        return self.name


class RaciEntry(OrganisationScopedModel):
    """One cell of a RACI matrix: a person's R, A, C or I for an AI system or an AIMS process."""

    AUDIT_FIELDS = ("system", "process", "member", "letter", "note")

    system_path = "system"  # what narrows a guest (core.guests)
    system = models.ForeignKey(
        "inventory.AISystem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    process = models.CharField(max_length=40, blank=True)
    member = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    letter = models.CharField(max_length=1, choices=Raci.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "context_racientry"
        ordering = ["process", "letter"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(system__isnull=False) & models.Q(process=""))
                | (models.Q(system__isnull=True) & ~models.Q(process="")),
                name="context_raci_one_subject",
            ),
            models.UniqueConstraint(
                fields=["organisation", "system", "member"],
                condition=models.Q(system__isnull=False),
                name="context_raci_system_cell",
            ),
            models.UniqueConstraint(
                fields=["organisation", "process", "member"],
                condition=~models.Q(process=""),
                name="context_raci_process_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} for {self.system_id or self.process}"


class OversightBody(OrganisationScopedModel):
    """A body that oversees AI (e.g. an AI ethics committee)."""

    AUDIT_FIELDS = ("name", "kind", "terms_of_reference", "chair", "meeting_frequency", "is_active")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BodyKind.choices)
    terms_of_reference = models.TextField(blank=True)
    chair = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField("accounts.Membership", blank=True, related_name="+")
    meeting_frequency = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "context_oversightbody"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="context_body_name")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(OrganisationScopedModel):
    AUDIT_FIELDS = ("body", "held_on", "title", "minutes")

    body = models.ForeignKey(OversightBody, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    minutes = models.TextField(blank=True)
    attendees = models.ManyToManyField("accounts.Membership", blank=True, related_name="+")

    class Meta:
        db_table = "context_meeting"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.title or 'Meeting'} on {self.held_on:%Y-%m-%d}"


class Decision(OrganisationScopedModel):
    AUDIT_FIELDS = (
        "body",
        "meeting",
        "text",
        "decided_on",
        "follow_up_owner",
        "due_date",
        "status",
    )

    body = models.ForeignKey(OversightBody, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField()
    decided_on = models.DateField()
    follow_up_owner = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )

    class Meta:
        db_table = "context_decision"
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return self.text[:80]


class LeadershipCommitment(OrganisationScopedModel):
    """Evidence that top management leads the AIMS (clause 5.1)."""

    AUDIT_FIELDS = ("made_by", "made_on", "commitment", "evidence", "evidence_url")

    made_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_on = models.DateField()
    commitment = models.TextField()
    evidence = models.TextField(blank=True, help_text="Where the commitment is recorded.")
    evidence_url = models.URLField(max_length=500, blank=True)

    class Meta:
        db_table = "context_leadershipcommitment"
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return self.commitment[:80]
