"""An acknowledged finding of the pre-audit check: an AIMS manager's reasoned decision to accept
it as it stands (for now). The finding stays on the page, marked as acknowledged with the reason;
the finding itself is never stored: it is recomputed from the registers on every check."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aimwell.core.models import OrganisationScopedModel


class Acknowledgement(OrganisationScopedModel):
    AUDIT_FIELDS = ("finding_key", "rule_key", "message", "reason", "acknowledged_by_label")

    finding_key = models.CharField(max_length=300, help_text="rule key and subject")
    rule_key = models.CharField(max_length=80)
    message = models.TextField(help_text="The finding as it read when acknowledged.")
    reason = models.TextField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "finding_key"], name="consistency_ack_once"
            )
        ]

    def __str__(self) -> str:
        return f"Acknowledged {self.finding_key}"
