"""Controlled vocabularies of change requests (values are stable identifiers)."""

from django.db import models


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
