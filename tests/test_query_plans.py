"""The plans of the hot queries: a page of the risk register, of the AI systems, of the audit
trail, and the SoA's selections, each read through an index, never by scanning the table.

These run on both backends (the PostgreSQL pass of the suite runs them there).

On PostgreSQL the planner rightly prefers a sequential scan on the few rows a test holds, so a
plan of the test database says nothing about 100,000 risks. Seeding that many rows in a test
would cost minutes per run on a shared machine, so instead `enable_seqscan` is turned off for the
test's transaction: the planner then takes a sequential scan only when no index can answer the
query, which is exactly the question (is there an index that serves this page?). For the same
reason `enable_sort` is off: on a few rows sorting them is as cheap as reading them in order, so
the planner would take any index of the organisation and sort; without sorting it takes the index
that gives the page's order when there is one. SQLite's planner
does not weigh table sizes without ANALYZE statistics, so its plan is the one it would choose at
any size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection

from aimwell.controls import soa
from aimwell.core import search
from aimwell.core.querysets import audit_events_for
from aimwell.inventory import querysets as inventory
from aimwell.inventory.models import AISystem
from aimwell.risks import querysets as risks
from aimwell.risks.models import Risk

pytestmark = pytest.mark.django_db


def _plan(qs: Any) -> str:
    """The plan of the query the queryset runs (built from its SQL: Django's own explain()
    cannot explain a query that filters on a window function on SQLite)."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def _uses_index(plan: str, table: str, index: str | None = None) -> None:
    """The table is read through an index (the named one when given), never scanned whole."""
    if connection.vendor == "postgresql":
        assert f"Seq Scan on {table}" not in plan, plan
        if index is not None:
            assert f"using {index} on {table}" in plan.replace("Index Only Scan", "Index Scan"), (
                plan
            )
        else:
            assert f"on {table}" in plan and "Index" in plan, plan
    else:
        lines = [line for line in plan.splitlines() if f" {table}" in line]
        assert lines, plan
        for line in lines:
            # "SCAN t" reads the whole table; "SEARCH t USING INDEX i (col=?)" a range of it.
            assert "SEARCH" in line or "USING INDEX" in line or "USING COVERING" in line, plan
        if index is not None:
            assert any(f"INDEX {index}" in line for line in lines), plan


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (risks.RiskFilters(), "risk_org_seq"),
        (risks.RiskFilters(sort="-level"), "risk_org_level"),
        (risks.RiskFilters(sort="-residual"), "risk_org_residual"),
        (risks.RiskFilters(sort="review"), "risk_org_review"),
        (risks.RiskFilters(sort="title"), "risk_org_title"),
        (risks.RiskFilters(status="identified"), "risk_org_status"),
    ],
)
def test_a_risk_register_page_reads_its_index(org, filters, index):
    if connection.vendor == "postgresql":
        # On an empty table two indexes of the organisation cost the planner the same, and which
        # one it took depended on how much earlier tests (rolled back) had grown each index:
        # rebuilt (for this transaction only), they are as in a fresh database.
        with connection.cursor() as cursor:
            cursor.execute("REINDEX TABLE risks_risk")
    ids = risks.filter_risks(org, filters).values_list("pk", flat=True)[25:50]
    _uses_index(_plan(ids), "risks_risk", index)


def test_the_figures_of_a_risk_page_probe_indexes(org):
    page = risks.with_figures_queryset(["00000000-0000-0000-0000-000000000001"])
    plan = _plan(page)
    for table in ("risks_risk", "risks_treatmentaction", "risks_selectedcontrol"):
        _uses_index(plan, table)


def test_a_systems_page_reads_its_index(org):
    ids = inventory.systems(org).values_list("pk", flat=True)[25:50]
    _uses_index(_plan(ids), "inventory_aisystem")


def test_an_audit_trail_page_reads_its_index(org):
    first = audit_events_for(org.pk)[:50]
    _uses_index(_plan(first), "core_auditevent")
    deep = audit_events_for(org.pk).filter(seq__lt=900_000)[:50]
    _uses_index(_plan(deep), "core_auditevent")


@pytest.mark.parametrize("top", [soa.PAGE_TOP, None])
def test_the_soa_reads_the_organisations_selections_by_index(org, top):
    # Every open selection of the organisation is counted, so its index range is read whole;
    # the risks behind them are probed by primary key.
    plan = _plan(soa.selections(org, top))
    _uses_index(plan, "risks_selectedcontrol")
    _uses_index(plan, "risks_risk")


@pytest.mark.parametrize(
    ("residual", "index"), [(False, "risk_org_heat"), (True, "risk_org_heat_residual")]
)
def test_the_heat_map_counts_from_its_covering_index(org, residual, index):
    # One GROUP BY over the organisation's range of the index, grouped in the index's order.
    plan = _plan(risks.heat_counts(org, residual=residual))
    _uses_index(plan, "risks_risk", index)
    if connection.vendor == "sqlite":
        assert "USE TEMP B-TREE FOR GROUP BY" not in plan, plan


def test_the_register_pages_overdue_actions_read_their_index(org):
    plan = _plan(risks.overdue_actions(org)[:10])
    _uses_index(plan, "risks_treatmentaction", "action_org_due")
    if connection.vendor == "sqlite":
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.parametrize("text", ["injection", "R-10"])
def test_a_risk_search_reads_the_trigram_index(org, text):
    # The match (what the page's count runs) is answered by the search index. On SQLite the
    # organisation's risks are then probed by rowid. On PostgreSQL the test's few rows make the
    # organisation's index the cheapest way, so the match is planned alone, as at scale, where one
    # organisation's index range holds most of the table and narrows nothing.
    matching = risks.filter_risks(org, risks.RiskFilters(q=text)).order_by()
    if connection.vendor == "postgresql":
        matching = search.contains(Risk.objects.order_by(), "risks_risk", risks.SEARCHED, text)
    plan = _plan(matching.values_list("pk", flat=True))
    _reads_the_search_index(plan, "risks_risk", risks.SEARCHED)


def test_a_systems_search_reads_the_trigram_index(org):
    matching = inventory.systems(org, inventory.SystemFilters(q="scoring")).order_by()
    if connection.vendor == "postgresql":
        matching = search.contains(
            AISystem.objects.order_by(), "inventory_aisystem", inventory.SEARCHED, "scoring"
        )
    plan = _plan(matching.values_list("pk", flat=True))
    _reads_the_search_index(plan, "inventory_aisystem", inventory.SEARCHED)


def _reads_the_search_index(plan: str, table: str, columns: Sequence[str]) -> None:
    if connection.vendor == "postgresql":
        for column in columns:
            assert f"Bitmap Index Scan on {table}_{column}_trgm" in plan, plan
        assert f"Seq Scan on {table}" not in plan, plan
    else:
        assert f"SCAN {table}_search VIRTUAL TABLE INDEX" in plan, plan
        rest = "\n".join(line for line in plan.splitlines() if f"{table}_search" not in line)
        _uses_index(rest, table)
        assert "rowid=?" in rest, plan


def _plans_of(call: Any, marker: str) -> list[str]:
    """The plans of the queries `call` runs whose SQL contains `marker` (as run, parameters
    included, so the plan is of the very statement)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    plans = []
    for query in ctx.captured_queries:
        if marker not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plans.append("\n".join(row[-1] for row in cursor.fetchall()))
    assert plans, f"no query with {marker!r}"
    return plans


def test_readiness_asks_per_control_whether_an_open_risk_selects_it(org, catalog):
    # One existence test per control, a seek on (organisation, control): never a count, or a
    # scan, of every selection of the organisation.
    plans = _plans_of(lambda: soa.decision_rows(org), '"risks_selectedcontrol"')
    for plan in plans:
        if connection.vendor == "postgresql":
            _uses_index(plan, "risks_selectedcontrol", "risk_sel_org_control")
        else:  # the subquery's table is aliased
            assert "INDEX risk_sel_org_control (organisation_id=? AND node_id=?)" in plan, plan
            assert not any(line.startswith("SCAN") for line in plan.splitlines()), plan


def test_readiness_counts_treated_risks_from_the_index_alone(org, catalog):
    from aimwell.controls import readiness

    (plan,) = _plans_of(lambda: readiness._treatment_share(org, 8), '"risks_risk"')
    _uses_index(plan, "risks_risk", "risk_org_treatment")
    if connection.vendor == "sqlite":
        assert "COVERING INDEX risk_org_treatment" in plan, plan
    else:
        assert "Index Only Scan using risk_org_treatment" in plan, plan


def test_readiness_judges_each_systems_risks_from_an_index(org, catalog):
    # Per system in scope: has it an open risk, and is one of them due for review? Two
    # existence tests answered by (system, status, review_date) alone.
    from aimwell.controls import readiness

    (plan,) = _plans_of(lambda: readiness._systems(org), '"inventory_aisystem"')
    if connection.vendor == "postgresql":
        _uses_index(plan, "risks_risk")
    else:  # the subqueries' tables are aliased
        assert plan.count("COVERING INDEX risk_system_status (system_id=?)") == 2, plan
        assert not any(line.startswith("SCAN") for line in plan.splitlines()), plan
