"""Clause 4.3: the AIMS scope statement, drafted from live data, approved in immutable versions."""

from __future__ import annotations

from typing import Any

from django.db import models

from aimwell.context.choices import ScopeStatus
from aimwell.core.models import OrganisationScopedModel


class ScopeVersion(OrganisationScopedModel):
    """One version of the scope statement. At most one draft per organisation; approved versions
    never change (the model refuses to save them again)."""

    AUDIT_FIELDS = ("number", "status", "text", "change_note")

    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=ScopeStatus.choices, default=ScopeStatus.DRAFT)
    text = models.TextField()
    change_note = models.CharField(max_length=500, blank=True)
    # What the live data said when the draft was generated (systems, roles, exclusions).
    generated_from = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="context_scope_number"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="draft"),
                name="context_scope_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"AIMS scope v{self.number} ({self.status})"

    @property
    def is_approved(self) -> bool:
        return self.status == ScopeStatus.APPROVED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == ScopeStatus.APPROVED:
                raise PermissionError("An approved scope version cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_approved:
            raise PermissionError("An approved scope version cannot be deleted.")
        return super().delete(*args, **kwargs)
