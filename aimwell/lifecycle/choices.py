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


class ChangeScope(models.TextChoices):
    AIMS = "aims", "The AI management system"
    SYSTEM = "system", "An AI system"


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    IMPLEMENTED = "implemented", "Implemented"
    REVIEWED = "reviewed", "Reviewed after implementation"


OPEN_CHANGE_STATUSES = (ChangeStatus.DRAFT, ChangeStatus.SUBMITTED, ChangeStatus.APPROVED)
