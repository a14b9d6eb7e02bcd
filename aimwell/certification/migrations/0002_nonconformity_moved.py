import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Nonconformities moved from the operations app to improvement with their table; the foreign
    key keeps its column and constraint, only Django's state points at the new app."""

    dependencies = [
        ("certification", "0001_initial"),
        ("improvement", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="externalfinding",
                    name="nonconformity",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="external_finding",
                        to="improvement.nonconformity",
                    ),
                ),
            ],
        ),
    ]
