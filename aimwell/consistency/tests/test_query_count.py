"""The engine's query count does not grow with the number of AI systems and risks (the benchmark
in benchmarks/consistency.py measures the time at 10,000 systems and 100,000 risks)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.consistency import engine
from aimwell.consistency.tests.builders import system
from aimwell.risks.tests.factories import risk


def _grow(org, owner, start, count):
    for i in range(start, start + count):
        credit = system(org, name=f"System {i}", owner=owner if i % 2 else None)
        risk(org, title=f"Risk {i}a", system=credit, likelihood=5, rating=5)
        risk(org, title=f"Risk {i}b", system=credit, likelihood=1, rating=1)


def _queries(org):
    engine.run(org)  # warm the per-process caches (content types, URL resolver)
    with CaptureQueriesContext(connection) as ctx:
        report = engine.run(org)
    return len(ctx.captured_queries), report


def test_query_count_independent_of_systems_and_risks(org, manager, catalog):
    _grow(org, manager.user, 0, 3)
    small, report_small = _queries(org)
    _grow(org, manager.user, 3, 9)
    large, report_large = _queries(org)
    assert small == large
    # The larger organisation really has more findings: the rules did see the new rows.
    untreated = [f for f in report_large.findings if f.rule.key == "high-risk-untreated"]
    assert len(untreated) == 12
    assert len(report_large.findings) > len(report_small.findings)
