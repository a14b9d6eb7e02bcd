# ruff: noqa: S608 (the SQL names tables and columns from the code, never from input; the searched
# text is always a parameter)
"""Substring search through the database's own text index, for the lists people search by typing
part of a title, a name or a reference ("R-10", "bias", "credit scor").

The search keeps the meaning it always had, `icontains` over several columns: a row matches when
any of the columns contains the query, ignoring case. What changes is how the database finds
those rows, on each backend through a trigram index (every three-character run of the text), which
answers a substring question without reading the table:

- SQLite: an FTS5 table with the trigram tokenizer over the searched columns, with the searched
  table as its external content (it stores only the index) and kept in step by three triggers.
  The query is one quoted FTS5 phrase, which on a trigram table means "contains this text".
- PostgreSQL: a GIN index with `pg_trgm`'s operator class on `UPPER(column)` for each searched
  column; that is the expression Django's `icontains` compares, so the filter is the plain
  `icontains` and the planner reads the indexes (a bitmap OR of them).

A trigram index cannot answer a query shorter than three characters; such a query is the plain
`icontains` on both backends, which reads the organisation's rows (still correct, not indexed).

The FTS5 table refers to the searched table's rows by their `rowid`. A migration that makes Django
rebuild that table on SQLite (some `AlterField`s copy it into a new table) drops its triggers and
renumbers the rows: such a migration must call `install_sqlite` again afterwards (it rebuilds the
index). `aimwell/core/tests/test_search.py` checks that every searched table has its triggers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL

Rows = TypeVar("Rows", bound=QuerySet[Any])
SHORTEST_INDEXED = 3  # characters: a trigram index holds runs of three


def search_table(table: str) -> str:
    return f"{table}_search"


def contains(qs: Rows, table: str, columns: Sequence[str], text: str) -> Rows:
    """The rows of `qs` where any of `columns` contains `text`, ignoring case, read through the
    table's trigram index when the text is long enough for one."""
    if connections[qs.db].vendor == "sqlite" and len(text) >= SHORTEST_INDEXED:
        fts = search_table(table)
        phrase = '"' + text.replace('"', '""') + '"'
        matching = RawSQL(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', [phrase])  # noqa: S611
        # Matched by rowid, which every index entry of the table carries: whichever way the
        # planner goes (from the matches, or along the organisation's index), no row is read
        # only to be compared.
        return qs.alias(search_rowid=RowId()).filter(search_rowid__in=matching)
    condition = Q()
    for column in columns:
        condition |= Q(**{f"{column}__icontains": text})
    return qs.filter(condition)


class RowId(Expression):
    """SQLite's rowid of the query's own table, under whatever alias the query gives it (a
    subquery renames its tables)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.rowid", []


def install_sqlite(table: str, columns: Sequence[str]) -> list[str]:
    """The statements that create (or re-create) the FTS5 index of `table` and its triggers, and
    fill it from the table's rows."""
    fts = search_table(table)
    names = ", ".join(f'"{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    watched = ", ".join(f'"{c}"' for c in columns)
    add = f'INSERT INTO "{fts}"(rowid, {names}) VALUES (new.rowid, {new});'
    remove = f'INSERT INTO "{fts}"("{fts}", rowid, {names}) VALUES (\'delete\', old.rowid, {old});'
    return [
        *uninstall_sqlite(table),
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, '
        f"content='{table}', content_rowid='rowid', tokenize='trigram')",
        f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {add} END',
        f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {remove} END',
        f'CREATE TRIGGER "{fts}_update" AFTER UPDATE OF {watched} ON "{table}" '
        f"BEGIN {remove} {add} END",
        f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
    ]


def uninstall_sqlite(table: str) -> list[str]:
    fts = search_table(table)
    return [
        f'DROP TRIGGER IF EXISTS "{fts}_insert"',
        f'DROP TRIGGER IF EXISTS "{fts}_delete"',
        f'DROP TRIGGER IF EXISTS "{fts}_update"',
        f'DROP TABLE IF EXISTS "{fts}"',
    ]


def postgres_index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"[:63]


def install_postgres(table: str, columns: Sequence[str]) -> list[str]:
    """`pg_trgm` is a trusted extension (PostgreSQL 13 and later): the database's owner may create
    it without being a superuser."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        *(
            f'CREATE INDEX IF NOT EXISTS "{postgres_index_name(table, c)}" ON "{table}" '
            f'USING gin (UPPER("{c}") gin_trgm_ops)'
            for c in columns
        ),
    ]


def uninstall_postgres(table: str, columns: Sequence[str]) -> list[str]:
    return [f'DROP INDEX IF EXISTS "{postgres_index_name(table, c)}"' for c in columns]


def migration_operations(table: str, columns: Sequence[str]) -> Any:
    """A migration operation that installs the search index of `table` on whichever backend runs
    it (and removes it when the migration is reversed)."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        statements = (
            install_sqlite(table, columns)
            if vendor == "sqlite"
            else install_postgres(table, columns)
            if vendor == "postgresql"
            else []
        )
        for statement in statements:
            schema_editor.execute(statement)

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        statements = (
            uninstall_sqlite(table)
            if vendor == "sqlite"
            else uninstall_postgres(table, columns)
            if vendor == "postgresql"
            else []
        )
        for statement in statements:
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards, elidable=False)
