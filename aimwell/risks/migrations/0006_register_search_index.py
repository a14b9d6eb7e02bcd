"""The risk register's search (title, reference, description) read through a trigram index:
FTS5 on SQLite, pg_trgm GIN indexes on PostgreSQL (aimwell.core.search)."""

from django.db import migrations

from aimwell.core.search import migration_operations


class Migration(migrations.Migration):
    dependencies = [("risks", "0005_impact_assessments_moved")]

    operations = [
        migration_operations("risks_risk", ["title", "reference", "description"]),
    ]
