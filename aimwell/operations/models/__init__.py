"""Models of performance evaluation and improvement (6.2, 7.2-7.3, 9, 10; A.3.3, A.8.4)."""

from aimwell.operations.models.audits import Audit, AuditProgramme, ChecklistItem, Finding
from aimwell.operations.models.improvement import Action, Nonconformity
from aimwell.operations.models.incidents import Concern, Incident
from aimwell.operations.models.notifications import Notification
from aimwell.operations.models.objectives import AIObjective, Measurement
from aimwell.operations.models.reviews import ManagementReview
from aimwell.operations.models.training import Competence, Course, TrainingRecord

__all__ = [
    "AIObjective",
    "Action",
    "Audit",
    "AuditProgramme",
    "ChecklistItem",
    "Competence",
    "Concern",
    "Course",
    "Finding",
    "Incident",
    "ManagementReview",
    "Measurement",
    "Nonconformity",
    "Notification",
    "TrainingRecord",
]
