from typing import Any

from django.db import migrations

OLD, NEW = "lifecycle.changerequest", "change_control.changerequest"


def _relabel(apps: Any, old: str, new: str) -> None:
    """Rewrite the rows that name the moved model by its label: its content type, the reference
    counter ("lifecycle.changerequest:CR"), principle links, evidence links, the evidence it
    produced (its source) and review flags. Audit events are not rewritten: their label is part
    of their MAC (readers resolve both)."""
    old_app, model = old.split(".")
    new_app = new.split(".")[0]
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new_app, model=model).exists():
        content_type.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
    counter = apps.get_model("core", "ReferenceCounter")
    for row in counter.objects.filter(kind__startswith=f"{old}:"):
        kind = f"{new}:{row.kind.partition(':')[2]}"
        if not counter.objects.filter(organisation_id=row.organisation_id, kind=kind).exists():
            counter.objects.filter(pk=row.pk).update(kind=kind)
    apps.get_model("context", "PrincipleLink").objects.filter(object_type=old).update(
        object_type=new
    )
    apps.get_model("evidence", "EvidenceLink").objects.filter(target_type=old).update(
        target_type=new
    )
    apps.get_model("evidence", "EvidenceItem").objects.filter(source=old).update(source=new)
    apps.get_model("inventory", "ReviewFlag").objects.filter(subject_type=old).update(
        subject_type=new
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, OLD, NEW)


def backwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, NEW, OLD)


class Migration(migrations.Migration):
    """Change requests moved to their own app with their table: the state is removed here
    (change_control 0001 took it over) and the rows that name the model by label follow it."""

    dependencies = [
        ("lifecycle", "0001_initial"),
        ("change_control", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_reference_counter"),
        ("context", "0002_last_reviewed"),
        ("evidence", "0001_initial"),
        ("inventory", "0005_several_eu_roles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ChangeRequest")],
        ),
        migrations.RunPython(forwards, backwards),
    ]
