"""Controlled vocabularies of the life-cycle records (values are stable identifiers)."""

from django.db import models


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "at least"
    AT_MOST = "lte", "at most"
    ABOVE = "gt", "above"
    BELOW = "lt", "below"


class CriterionKind(models.TextChoices):
    PERFORMANCE = "performance", "Performance"
    FAIRNESS = "fairness", "Fairness"
    ROBUSTNESS = "robustness", "Robustness"
    OTHER = "other", "Other"


class AcceptanceKind(models.TextChoices):
    FAILED = "failed", "Failed criterion accepted"
    WAIVED = "waived", "Criterion waived"


class ApproverDesignation(models.TextChoices):
    TOP_MANAGEMENT = "top_management", "Top management"
    AI_LIFECYCLE_OWNER = "ai_lifecycle_owner", "Owner of the AI life-cycle process"
    RISK_AUTHORITY = "risk_authority", "A member with risk-acceptance authority"


class VVOutcome(models.TextChoices):
    """Where a system's verification and validation stands, computed from its frozen plan and the
    latest result of each criterion (lifecycle.status)."""

    NOT_PLANNED = "not_planned", "Not planned"
    PLANNED = "planned", "Planned, not frozen"
    IN_PROGRESS = "in_progress", "In progress"
    FAILED = "failed", "Failed"
    PASSED = "passed", "Passed"
    ACCEPTED = "accepted", "Passed with accepted exceptions"


class CriterionStatus(models.TextChoices):
    """A V&V criterion's standing from its latest result and any acceptance (lifecycle.status)."""

    PENDING = "pending", "No result yet"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    ACCEPTED = "accepted", "Failed, accepted"
    WAIVED = "waived", "Waived"
