"""Choices of the AI objectives and their measurements records."""

from django.db import models


class ObjectiveDirection(models.TextChoices):
    AT_LEAST = "at_least", "At least the target"
    AT_MOST = "at_most", "At most the target"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "No measurement yet"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    ACHIEVED = "achieved", "Achieved"
    MISSED = "missed", "Missed"
    RETIRED = "retired", "Retired"


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Recorded by hand"
    MONITORING = "monitoring", "Monitoring result"
