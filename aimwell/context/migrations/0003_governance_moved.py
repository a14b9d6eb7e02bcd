from typing import Any

from django.db import migrations

MODELS = (
    "principle",
    "principlelink",
    "aimsrole",
    "racientry",
    "oversightbody",
    "meeting",
    "decision",
    "leadershipcommitment",
)


def _relabel(apps: Any, old_app: str, new_app: str) -> None:
    """Rewrite the rows that name a moved model by its label: content types, reference counters
    ("context.decision:..."), principle links, evidence links, the evidence produced (its source)
    and review flags. Audit events are not rewritten: their label is part of their MAC (readers
    resolve both labels)."""
    labels = {f"{old_app}.{model}": f"{new_app}.{model}" for model in MODELS}
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new_app, model=model).exists():
            content_type.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
    counter = apps.get_model("core", "ReferenceCounter")
    for row in counter.objects.filter(kind__startswith=f"{old_app}."):
        label, _, prefix = row.kind.partition(":")
        if label in labels:
            kind = f"{labels[label]}:{prefix}"
            if not counter.objects.filter(organisation_id=row.organisation_id, kind=kind).exists():
                counter.objects.filter(pk=row.pk).update(kind=kind)
    principle_link = apps.get_model("governance", "PrincipleLink")
    evidence_link = apps.get_model("evidence", "EvidenceLink")
    evidence_item = apps.get_model("evidence", "EvidenceItem")
    review_flag = apps.get_model("inventory", "ReviewFlag")
    for old, new in labels.items():
        principle_link.objects.filter(object_type=old).update(object_type=new)
        evidence_link.objects.filter(target_type=old).update(target_type=new)
        evidence_item.objects.filter(source=old).update(source=new)
        review_flag.objects.filter(subject_type=old).update(subject_type=new)


def forwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "context", "governance")


def backwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "governance", "context")


class Migration(migrations.Migration):
    """Governance moved to its own app with its tables: the state is removed here (governance
    0001 took it over) and the rows that name the models by label follow them. It runs after
    every migration that reads context's principle links by this label."""

    dependencies = [
        ("context", "0002_last_reviewed"),
        ("governance", "0001_initial"),
        ("transparency", "0002_principles_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_reference_counter"),
        ("evidence", "0001_initial"),
        ("inventory", "0006_moved_to_classification"),
        ("risks", "0005_impact_assessments_moved"),
        ("operations", "0003_moved_to_domain_apps"),
        ("lifecycle", "0002_change_requests_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='decision',
                    name='body',
                ),
                migrations.RemoveField(
                    model_name='decision',
                    name='follow_up_owner',
                ),
                migrations.RemoveField(
                    model_name='decision',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='decision',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='leadershipcommitment',
                    name='made_by',
                ),
                migrations.RemoveField(
                    model_name='leadershipcommitment',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='attendees',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='body',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='oversightbody',
                    name='chair',
                ),
                migrations.RemoveField(
                    model_name='oversightbody',
                    name='members',
                ),
                migrations.RemoveField(
                    model_name='oversightbody',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='principle',
                    name='catalog_nodes',
                ),
                migrations.RemoveField(
                    model_name='principle',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='principle',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='principlelink',
                    name='principle',
                ),
                migrations.RemoveField(
                    model_name='principlelink',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='racientry',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='racientry',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='racientry',
                    name='system',
                ),
                migrations.DeleteModel(
                    name='AIMSRole',
                ),
                migrations.DeleteModel(
                    name='Decision',
                ),
                migrations.DeleteModel(
                    name='LeadershipCommitment',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='OversightBody',
                ),
                migrations.DeleteModel(
                    name='Principle',
                ),
                migrations.DeleteModel(
                    name='PrincipleLink',
                ),
                migrations.DeleteModel(
                    name='RaciEntry',
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
