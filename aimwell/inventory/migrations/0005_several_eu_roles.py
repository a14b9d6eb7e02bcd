"""A system holds several EU AI Act roles (an organisation that builds and uses its own system is
its provider and its deployer). The single `eu_role` becomes the list `eu_roles`, and each
classification records every role it was decided for and which role each obligation falls on.
Existing data moves over without loss: a role becomes a one-role list, and a classification's
obligations are all tagged with the role it was decided for."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    AISystem = apps.get_model("inventory", "AISystem")
    Classification = apps.get_model("inventory", "Classification")
    for system in AISystem.objects.exclude(eu_role="").only("id", "eu_role"):
        AISystem.objects.filter(pk=system.pk).update(eu_roles=[system.eu_role])
    for c in Classification.objects.only("id", "operator_role", "obligations"):
        roles = [c.operator_role] if c.operator_role else []
        Classification.objects.filter(pk=c.pk).update(
            operator_roles=roles,
            obligation_roles={node: list(roles) for node in (c.obligations or [])},
        )


def backwards(apps, schema_editor):
    AISystem = apps.get_model("inventory", "AISystem")
    for system in AISystem.objects.only("id", "eu_roles"):
        roles = system.eu_roles or []
        AISystem.objects.filter(pk=system.pk).update(eu_role=roles[0] if roles else "")


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0004_lifecycle_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="aisystem",
            name="eu_roles",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The organisation's operator roles for this system under the EU AI Act "
                "(provider, deployer, ...): an organisation that builds and uses a system holds both.",
            ),
        ),
        migrations.AddField(
            model_name="classification",
            name="operator_roles",
            field=models.JSONField(
                default=list, help_text="Every operator role the decision was made for."
            ),
        ),
        migrations.AddField(
            model_name="classification",
            name="obligation_roles",
            field=models.JSONField(
                default=dict, help_text="Obligation node id -> the roles it falls on."
            ),
        ),
        migrations.AlterField(
            model_name="classification",
            name="operator_role",
            field=models.CharField(
                blank=True,
                help_text="The first of operator_roles (the Act's order).",
                max_length=30,
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="aisystem", name="eu_role"),
    ]
