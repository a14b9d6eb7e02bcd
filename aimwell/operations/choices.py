"""Choices of the performance-evaluation and improvement registers."""

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


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


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


class TrainingSource(models.TextChoices):
    QUIZ = "quiz", "Quiz in Aimwell"
    MANUAL = "manual", "Recorded by a manager"
    EXTERNAL = "external", "External certificate"
