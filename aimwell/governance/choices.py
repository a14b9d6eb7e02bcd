"""Controlled vocabularies of governance (values are stable identifiers)."""

from django.db import models


class PrincipleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ADOPTED = "adopted", "Adopted"
    RETIRED = "retired", "Retired"


class Raci(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


class BodyKind(models.TextChoices):
    ETHICS_COMMITTEE = "ethics_committee", "AI ethics committee"
    STEERING = "steering", "AI steering group"
    RISK_COMMITTEE = "risk_committee", "Risk committee"
    BOARD = "board", "Board or board committee"
    OTHER = "other", "Other"


class DecisionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
