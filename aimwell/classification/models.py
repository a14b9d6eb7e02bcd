"""EU AI Act classification: the versions of the rules (loaded from data files) and each decision
about an AI system under one of them."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel
from aimwell.inventory.models import AISystem


class RuleSet(models.Model):
    """One version of the EU AI Act classification rules, loaded from data files (not code).

    Shared by every organisation; a classification keeps the version it was decided under.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=80)
    version = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "inventory_ruleset"  # created by the inventory app, kept when it moved here
        ordering = ["key", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="ruleset_version")]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class Classification(OrganisationScopedModel):
    """An EU AI Act classification of one AI system, as decided at one moment."""

    system_path = "system"  # what narrows a guest (core.guests)
    system = models.ForeignKey(AISystem, on_delete=models.CASCADE, related_name="classifications")
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    risk_class = models.CharField(max_length=30)
    legal_basis = models.JSONField(default=list)
    duties = models.JSONField(default=list, help_text="Stacking duties, e.g. Art. 50.")
    rationale = models.JSONField(default=list)
    obligations = models.JSONField(default=list)
    flags = models.JSONField(default=list, help_text="e.g. gpai, gpai_systemic, annex_iii")
    citations = models.JSONField(default=list, help_text="Exact provisions relied on.")
    operator_role = models.CharField(
        max_length=30, blank=True, help_text="The first of operator_roles (the Act's order)."
    )
    operator_roles = models.JSONField(
        default=list, help_text="Every operator role the decision was made for."
    )
    obligation_roles = models.JSONField(
        default=dict, help_text="Obligation node id -> the roles it falls on."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_label = models.CharField(max_length=200)
    is_current = models.BooleanField(default=True)

    class Meta:
        db_table = "inventory_classification"  # created by the inventory app, kept when it moved
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "is_current"])]

    def __str__(self) -> str:
        return f"{self.system}: {self.risk_class} ({self.ruleset.version})"

    def is_owned_by(self, user_id: Any) -> bool:
        return self.system.is_owned_by(user_id)
