"""Every searched table has its index after all migrations: on SQLite the FTS5 table and the three
triggers that keep it in step (a migration that rebuilt the table would drop them), its content in
step with the table's rows; on PostgreSQL a trigram index per searched column."""

from __future__ import annotations

import pytest
from django.db import connection

from aimwell.core import search
from aimwell.inventory import querysets as inventory
from aimwell.risks import querysets as risks
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db

SEARCHED = {"risks_risk": risks.SEARCHED, "inventory_aisystem": inventory.SEARCHED}


@pytest.mark.parametrize("table", sorted(SEARCHED))
def test_every_searched_table_has_its_index(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
            triggers = {row[0] for row in cursor.fetchall()}
            fts = search.search_table(table)
            assert triggers >= {f"{fts}_insert", f"{fts}_delete", f"{fts}_update"}
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
            indexes = {row[0] for row in cursor.fetchall()}
            wanted = {search.postgres_index_name(table, c) for c in SEARCHED[table]}
            assert indexes >= wanted


def test_the_index_holds_what_the_rows_hold_after_writes(org):
    risk = factories.risk(org, title="Biased refusals")
    factories.risk(org, title="Model drift")
    risk.title = "Unfair refusals"
    risk.save()
    risk.delete()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5 compares every indexed term with the content table's rows; raises if apart.
            cursor.execute(
                "INSERT INTO risks_risk_search(risks_risk_search, rank) "
                "VALUES ('integrity-check', 1)"
            )
        else:
            cursor.execute("SELECT count(*) FROM risks_risk WHERE UPPER(title) LIKE '%DRIFT%'")
            assert cursor.fetchone()[0] == 1
