"""Choices of the management reviews records."""

from django.db import models


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
