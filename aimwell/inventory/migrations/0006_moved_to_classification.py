from typing import Any

from django.db import migrations

# Models that moved to the classification app with their tables.
MOVED = ("ruleset", "classification")


def _relabel(apps: Any, old_app: str, new_app: str) -> None:
    """Rewrite the rows that name a moved model by its label: content types, reference counters
    ("inventory.classification:…"), principle links, evidence links and review flags. Audit events
    are not rewritten: their label is part of their MAC (readers resolve both labels)."""
    labels = {f"{old_app}.{model}": f"{new_app}.{model}" for model in MOVED}
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
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
    review_flag = apps.get_model("inventory", "ReviewFlag")
    for old, new in labels.items():
        principle_link.objects.filter(object_type=old).update(object_type=new)
        evidence_link.objects.filter(target_type=old).update(target_type=new)
        review_flag.objects.filter(subject_type=old).update(subject_type=new)


def forwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "inventory", "classification")


def backwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "classification", "inventory")


class Migration(migrations.Migration):
    """The EU AI Act classification (rule sets and decisions) moved to its own app with its tables:
    the state is removed here (classification 0001 took it over) and the rows that name the
    models by label follow them."""

    dependencies = [
        ("inventory", "0005_several_eu_roles"),
        ("classification", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_reference_counter"),
        ("context", "0002_last_reviewed"),
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Classification"),
                migrations.DeleteModel(name="RuleSet"),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
