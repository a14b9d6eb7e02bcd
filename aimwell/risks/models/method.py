"""Clause 6.1.1: the organisation's risk criteria, in immutable numbered versions."""

from __future__ import annotations

from typing import Any

from django.db import models

from aimwell.core.models import OrganisationScopedModel


class RiskMethod(OrganisationScopedModel):
    """One version of the risk criteria. Publishing a change creates the next version; risks keep
    the version they were assessed under, so nothing is silently rescored."""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    description = models.TextField(blank=True)
    # [{"value": 1, "label": "Rare", "description": "..."}], ascending
    likelihood_scale = models.JSONField()
    consequence_scale = models.JSONField()
    # [{"key": "individuals", "label": "Individuals", "description": "..."}]
    dimensions = models.JSONField()
    # matrix[likelihood - 1][consequence - 1] = level
    matrix = models.JSONField()
    # [{"name": "Low", "min": 1, "colour": "#..."}], ascending by min
    bands = models.JSONField()
    acceptance_threshold = models.PositiveSmallIntegerField(
        help_text="Residual levels at or below this may be accepted by an authorised member; "
        "above it, acceptance also needs top management."
    )
    review_interval_days = models.PositiveSmallIntegerField(default=365)
    is_current = models.BooleanField(default=True)
    change_note = models.CharField(max_length=500, blank=True)
    created_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="risks_method_version_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_current=True),
                name="risks_one_current_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def likelihood_max(self) -> int:
        return len(self.likelihood_scale)

    @property
    def consequence_max(self) -> int:
        return len(self.consequence_scale)

    @property
    def max_level(self) -> int:
        return max(max(row) for row in self.matrix)

    def level(self, likelihood: int, consequence: int) -> int:
        return int(self.matrix[likelihood - 1][consequence - 1])

    def band(self, level: int | None) -> dict[str, Any]:
        if level is None:
            return {"name": "Not assessed", "min": 0, "colour": "#eef2f6"}
        chosen = self.bands[0]
        for band in self.bands:
            if level >= band["min"]:
                chosen = band
        return dict(chosen)

    def likelihood_label(self, value: int | None) -> str:
        return _label(self.likelihood_scale, value)

    def consequence_label(self, value: int | None) -> str:
        return _label(self.consequence_scale, value)

    def dimension_keys(self) -> list[str]:
        return [d["key"] for d in self.dimensions]


def _label(scale: list[dict[str, Any]], value: int | None) -> str:
    if value is None:
        return "—"
    for step in scale:
        if step["value"] == value:
            return f"{value} {step['label']}"
    return str(value)
