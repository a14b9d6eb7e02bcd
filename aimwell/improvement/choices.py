"""Choices of the nonconformities and their corrective actions records."""

from django.db import models


class NCSource(models.TextChoices):
    AUDIT = "audit", "Internal audit"
    EXTERNAL_AUDIT = "external_audit", "External audit"
    INCIDENT = "incident", "Incident"
    MONITORING = "monitoring", "Monitoring breach"
    COMPLAINT = "complaint", "Complaint or concern"
    MANAGEMENT_REVIEW = "management_review", "Management review"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"


class NCStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTION = "action", "Corrective action under way"
    VERIFICATION = "verification", "Awaiting verification"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", "Effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"
