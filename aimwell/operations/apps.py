"""The operations area of the AIMS (clauses 6.2, 7.2-7.3, 9, 10) before it was split into one app
per domain. What is left is shared by those apps and is no domain: the /operations/ overview page,
edge helpers, the layout templates, and the migrations that created the tables the domain apps
now own."""

from django.apps import AppConfig

# Model label before the split -> label now (the tables kept their names).
MOVED_MODELS = {
    "operations.auditprogramme": "internal_audit.auditprogramme",
    "operations.audit": "internal_audit.audit",
    "operations.checklistitem": "internal_audit.checklistitem",
    "operations.finding": "internal_audit.finding",
    "operations.nonconformity": "improvement.nonconformity",
    "operations.action": "improvement.action",
    "operations.managementreview": "management_review.managementreview",
    "operations.incident": "incidents.incident",
    "operations.concern": "incidents.concern",
    "operations.aiobjective": "objectives.aiobjective",
    "operations.measurement": "objectives.measurement",
    "operations.course": "competence.course",
    "operations.competence": "competence.competence",
    "operations.trainingrecord": "competence.trainingrecord",
    "operations.notification": "notifications.notification",
}


class OperationsConfig(AppConfig):
    name = "aimwell.operations"
    label = "operations"
    verbose_name = "Performance evaluation and improvement"

    def ready(self) -> None:
        from aimwell.core.audit import register_moved_model

        for former, current in MOVED_MODELS.items():
            register_moved_model(former, current)
