"""The AI systems list's search (name, purpose, business unit) read through a trigram index:
FTS5 on SQLite, pg_trgm GIN indexes on PostgreSQL (aimwell.core.search)."""

from django.db import migrations

from aimwell.core.search import migration_operations


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_moved_to_classification")]

    operations = [
        migration_operations("inventory_aisystem", ["name", "purpose", "business_unit"]),
    ]
