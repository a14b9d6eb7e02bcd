"""Choices of the AI incidents and concerns records."""

from django.db import models


class IncidentSeverity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONTAINED = "contained", "Contained"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class SeriousKind(models.TextChoices):
    """The kinds of serious incident of the EU AI Act (Art. 3(49)), which set the deadline of the
    report to the market surveillance authority (Art. 73)."""

    DEATH = "death", "Death of a person"
    HEALTH = "health", "Serious harm to a person's health"
    CRITICAL_INFRASTRUCTURE = (
        "critical_infrastructure",
        "Serious and irreversible disruption of critical infrastructure",
    )
    WIDESPREAD = "widespread", "Widespread infringement"
    FUNDAMENTAL_RIGHTS = "fundamental_rights", "Infringement of fundamental-rights obligations"
    PROPERTY_ENVIRONMENT = "property_environment", "Serious harm to property or the environment"


# Days after the provider becomes aware, Art. 73(2)-(4).
REPORT_DAYS: dict[str, int] = {
    SeriousKind.DEATH: 10,
    SeriousKind.CRITICAL_INFRASTRUCTURE: 2,
    SeriousKind.WIDESPREAD: 2,
    SeriousKind.HEALTH: 15,
    SeriousKind.FUNDAMENTAL_RIGHTS: 15,
    SeriousKind.PROPERTY_ENVIRONMENT: 15,
}


class ConcernCategory(models.TextChoices):
    BIAS = "bias", "Bias or unfair treatment"
    SAFETY = "safety", "Safety or harm"
    PRIVACY = "privacy", "Privacy or data use"
    TRANSPARENCY = "transparency", "Transparency or explanation"
    MISUSE = "misuse", "Misuse or use outside the intended purpose"
    OTHER = "other", "Other"


class ConcernSource(models.TextChoices):
    """Where a concern came from: a member of the organisation, or anyone through the public
    transparency page."""

    INTERNAL = "internal", "A member"
    EXTERNAL = "external", "Someone outside (public form)"


class ConcernKind(models.TextChoices):
    CONCERN = "concern", "Concern"
    COMPLAINT = "complaint", "Complaint"
    EXPLANATION = "explanation", "Request for an explanation"


class ConcernStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    INVESTIGATING = "investigating", "Under investigation"
    CLOSED = "closed", "Closed"
