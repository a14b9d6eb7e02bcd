from typing import Any

from django.db import migrations

# Model label before the split -> app that holds the model now (the tables kept their names).
MOVED = {
    "auditprogramme": "internal_audit",
    "audit": "internal_audit",
    "checklistitem": "internal_audit",
    "finding": "internal_audit",
    "nonconformity": "improvement",
    "action": "improvement",
    "managementreview": "management_review",
    "incident": "incidents",
    "concern": "incidents",
    "aiobjective": "objectives",
    "measurement": "objectives",
    "course": "competence",
    "competence": "competence",
    "trainingrecord": "competence",
    "notification": "notifications",
}
# Queued runs of the daily reminders name their task by its dotted path.
TASK_PATHS = {
    "aimwell.operations.tasks.daily_reminders": "aimwell.notifications.tasks.daily_reminders"
}


def _relabel(
    apps: Any, labels: dict[str, str], tasks: dict[str, str], app_labels: dict[str, tuple[str, str]]
) -> None:
    """Rewrite the rows that name a moved model by its label: content types, reference counters
    ("operations.incident:INC"), principle links and evidence links, and queued tasks. Audit
    events are not rewritten: their label is part of their MAC (readers resolve both labels)."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, (old_app, new_app) in app_labels.items():
        if not content_type.objects.filter(app_label=new_app, model=model).exists():
            content_type.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
    counter = apps.get_model("core", "ReferenceCounter")
    for row in counter.objects.all():
        label, _, prefix = row.kind.partition(":")
        if label in labels:
            kind = f"{labels[label]}:{prefix}"
            if not counter.objects.filter(organisation_id=row.organisation_id, kind=kind).exists():
                counter.objects.filter(pk=row.pk).update(kind=kind)
    principle_link = apps.get_model("context", "PrincipleLink")
    evidence_link = apps.get_model("evidence", "EvidenceLink")
    for old, new in labels.items():
        principle_link.objects.filter(object_type=old).update(object_type=new)
        evidence_link.objects.filter(target_type=old).update(target_type=new)
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in tasks.items():
        task_result.objects.filter(task_path=old).update(task_path=new)


def forwards(apps: Any, schema_editor: Any) -> None:
    labels = {f"operations.{model}": f"{app}.{model}" for model, app in MOVED.items()}
    app_labels = {model: ("operations", app) for model, app in MOVED.items()}
    _relabel(apps, labels, TASK_PATHS, app_labels)


def backwards(apps: Any, schema_editor: Any) -> None:
    labels = {f"{app}.{model}": f"operations.{model}" for model, app in MOVED.items()}
    app_labels = {model: (app, "operations") for model, app in MOVED.items()}
    _relabel(apps, labels, {new: old for old, new in TASK_PATHS.items()}, app_labels)


class Migration(migrations.Migration):
    """The operations models moved to one app per domain with their tables: their state is
    removed here (the new apps' first migrations took it over) and the rows that name them by
    label follow them."""

    dependencies = [
        ("operations", "0002_concern_source"),
        ("internal_audit", "0001_initial"),
        ("improvement", "0001_initial"),
        ("management_review", "0001_initial"),
        ("incidents", "0001_initial"),
        ("objectives", "0001_initial"),
        ("competence", "0001_initial"),
        ("notifications", "0001_initial"),
        ("certification", "0002_nonconformity_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_reference_counter"),
        ("context", "0002_last_reviewed"),
        ("evidence", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Action"),
                migrations.DeleteModel(name="Nonconformity"),
                migrations.DeleteModel(name="Measurement"),
                migrations.DeleteModel(name="AIObjective"),
                migrations.DeleteModel(name="ChecklistItem"),
                migrations.DeleteModel(name="Finding"),
                migrations.DeleteModel(name="Audit"),
                migrations.DeleteModel(name="AuditProgramme"),
                migrations.DeleteModel(name="TrainingRecord"),
                migrations.DeleteModel(name="Competence"),
                migrations.DeleteModel(name="Course"),
                migrations.DeleteModel(name="Concern"),
                migrations.DeleteModel(name="Incident"),
                migrations.DeleteModel(name="ManagementReview"),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
