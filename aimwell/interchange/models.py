"""The organisation's ISO/IEC 27001 Statement of Applicability, imported as the ISMS baseline:
which ISMS controls it already runs, how far, and the evidence it keeps for them. The 42001 SoA
reuses them through the built-in 42001<->27001 crosswalk."""

from __future__ import annotations

from django.db import models

from aimwell.core.models import OrganisationScopedModel


class IsmsControl(OrganisationScopedModel):
    AUDIT_FIELDS = ("applicable", "status", "justification", "evidence")

    node = models.ForeignKey("catalog.RequirementNode", on_delete=models.CASCADE, related_name="+")
    applicable = models.BooleanField(null=True, blank=True)
    status = models.CharField(max_length=20, default="not_started")
    justification = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What the ISMS keeps to show the control.")
    source = models.CharField(max_length=20)

    class Meta:
        ordering = ["node__position"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "node"], name="isms_control_once")
        ]

    def __str__(self) -> str:
        return f"ISMS {self.node.ref_id}"
