"""Choices of the risk register and impact assessments."""

from __future__ import annotations

from django.db import models


class TreatmentOption(models.TextChoices):
    MODIFY = "modify", "Modify (reduce with controls)"
    AVOID = "avoid", "Avoid (stop or change the activity)"
    SHARE = "share", "Share (insure, contract, outsource)"
    RETAIN = "retain", "Retain (accept as it is)"


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    IN_TREATMENT = "in_treatment", "In treatment"
    ACCEPTED = "accepted", "Residual risk accepted"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class AssessmentKind(models.TextChoices):
    INHERENT = "inherent", "Inherent"
    RESIDUAL = "residual", "Residual"
