"""Choices of the certification project: audit kinds and states, finding grades, scope areas."""

from django.db import models


class AuditKind(models.TextChoices):
    STAGE_1 = "stage_1", "Stage 1 (documentation and readiness)"
    STAGE_2 = "stage_2", "Stage 2 (implementation)"
    SURVEILLANCE_1 = "surveillance_1", "Surveillance 1"
    SURVEILLANCE_2 = "surveillance_2", "Surveillance 2"
    RECERTIFICATION = "recertification", "Recertification"
    SPECIAL = "special", "Special audit"


# The order the three-year cycle runs in (special audits happen whenever needed).
CYCLE_ORDER = [k.value for k in AuditKind]


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class AuditOutcome(models.TextChoices):
    READY = "ready", "Ready for the next stage"
    RECOMMENDED = "recommended", "Certification recommended"
    CONDITIONAL = "conditional", "Recommended once findings are corrected"
    MAINTAINED = "maintained", "Certificate maintained"
    NOT_RECOMMENDED = "not_recommended", "Not recommended"


class Grade(models.TextChoices):
    MAJOR = "major", "Major nonconformity"
    MINOR = "minor", "Minor nonconformity"
    OBSERVATION = "observation", "Observation"
    OFI = "ofi", "Opportunity for improvement"


NC_GRADES = (Grade.MAJOR, Grade.MINOR)


class Area(models.TextChoices):
    """Parts of the AIMS an audit (and so a guest) may cover."""

    DOCUMENTS = "documents", "Documents"
    CONTROLS = "controls", "SoA, controls and readiness"
    RISKS = "risks", "Risks and impact assessments"
    SYSTEMS = "systems", "AI systems, models, data and monitoring"
    EVIDENCE = "evidence", "Evidence"
    OPERATIONS = "operations", "Operations registers (audits, nonconformities, reviews, incidents)"
    CONTEXT = "context", "Context and AIMS scope"
    AUDIT_TRAIL = "audit_trail", "Audit trail"


class SampleType(models.TextChoices):
    SYSTEM = "system", "AI system"
    CONTROL = "control", "Annex A control / SoA entry"
    DOCUMENT = "document", "Document"
    EVIDENCE = "evidence", "Evidence item"
    RECORD = "record", "Record"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"
