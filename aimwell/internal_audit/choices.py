"""Choices of the audit programmes, audits, checklists and findings records."""

from django.db import models


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    REPORTED = "reported", "Report issued"
    CANCELLED = "cancelled", "Cancelled"


class ChecklistResult(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    CONFORMING = "conforming", "Conforming"
    NONCONFORMING = "nonconforming", "Nonconforming"
    OBSERVATION = "observation", "Observation"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class FindingKind(models.TextChoices):
    MAJOR = "major_nc", "Major nonconformity"
    MINOR = "minor_nc", "Minor nonconformity"
    OBSERVATION = "observation", "Observation"
    OFI = "ofi", "Opportunity for improvement"


NC_KINDS = (FindingKind.MAJOR, FindingKind.MINOR)
