"""The register in numeric reference order, its control filter, and a risk created without
reading the organisation's references."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimwell.core.models import ReferenceCounter
from aimwell.risks.models import Risk
from aimwell.risks.services import treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def _risk_at(org, number: int, title: str) -> Risk:
    """A risk whose reference gets `number`: the counter is set just before it."""
    ReferenceCounter.objects.filter(organisation=org).update(last=number - 1)
    return f.risk(org, title=title)


def _numbered(org) -> None:
    f.risk(org, title="first")  # creates the counter
    # Created out of order, so neither creation order nor text order gives the expected one.
    for number in (1000, 99, 10000, 100, 999):
        _risk_at(org, number, f"number {number}")


# R-001, then the numbers in increasing order; as text "R-1000" < "R-10000" < "R-999".
NUMERIC = ["R-001", "R-099", "R-100", "R-999", "R-1000", "R-10000"]


def test_references_sort_as_numbers_in_the_api_and_the_page(catalog, org, manager):
    _numbered(org)
    items = manager.api("GET", "/api/v1/risks").json()["items"]
    assert [i["reference"] for i in items] == NUMERIC
    assert sorted(NUMERIC) != NUMERIC  # the text order really differs
    body = manager.client.get(reverse("risks:home")).content.decode()
    positions = [body.index(f">{ref} ") for ref in NUMERIC]
    assert positions == sorted(positions)
    second = manager.api("GET", "/api/v1/risks?page_size=2&page=2").json()
    assert [i["reference"] for i in second["items"]] == NUMERIC[2:4]
    assert second["count"] == 6 and second["pages"] == 3


def test_sorts_break_ties_by_reference_number(catalog, org, manager):
    _numbered(org)  # every risk has the same inherent level (4 x 4)
    items = manager.api("GET", "/api/v1/risks?sort=-level").json()["items"]
    assert [i["reference"] for i in items] == NUMERIC


def test_creating_a_risk_reads_no_references(catalog, org):
    for i in range(3):
        f.risk(org, title=f"r{i}")
    # Without its counter (a database from before counters), the next number comes from the
    # highest stored sequence: one aggregate, never the list of references.
    ReferenceCounter.objects.filter(organisation=org).delete()
    with CaptureQueriesContext(connection) as queries:
        risk = f.risk(org, title="next")
    assert risk.reference == "R-004" and risk.sequence == 4
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and "risks_risk" in q["sql"]
    ]
    assert not any('"reference"' in sql.split("FROM")[0] for sql in reads), reads
    with CaptureQueriesContext(connection) as few:
        f.risk(org, title="one more")
    for i in range(6):
        f.risk(org, title=f"more {i}")
    with CaptureQueriesContext(connection) as many:
        f.risk(org, title="and another")
    assert len(many) == len(few)


def test_control_filter_lists_the_risks_that_select_it(catalog, org, manager):
    chosen, other, none = f.risk(org, title="a"), f.risk(org, title="b"), f.risk(org, title="c")
    control = f.node("A.6.2.4")
    treatment.select_control(chosen, actor="t", node=control)
    treatment.select_control(other, actor="t", node=f.node("A.7.4"))
    api = manager.api("GET", f"/api/v1/risks?control={control.pk}").json()
    assert [i["reference"] for i in api["items"]] == [chosen.reference]
    page = manager.client.get(reverse("risks:home") + f"?control={control.pk}").content.decode()
    assert chosen.reference in page and other.reference not in page
    assert none.reference not in page and "Open risks whose treatment selects one control" in page
    assert manager.api("GET", "/api/v1/risks?control=nonsense").json()["count"] == 0


def test_register_page_lists_a_bounded_number_of_systems(catalog, org, manager, monkeypatch):
    from aimwell.risks import views

    monkeypatch.setattr(views, "SYSTEM_CHOICES", 2)
    systems = [f.system(org, name=f"System {i}") for i in range(4)]
    body = manager.client.get(reverse("risks:home")).content.decode()
    assert "System 0" in body and "System 1" in body and "System 2" not in body
    assert "the first 2 by name" in body
    chosen = manager.client.get(reverse("risks:home") + f"?system={systems[3].pk}")
    assert "System 3" in chosen.content.decode()


def test_overdue_filter_lists_a_risk_once_however_many_late_actions(catalog, org, manager):
    import datetime as dt

    late = f.risk(org, title="late")
    f.risk(org, title="on time")
    for title in ("one", "two"):
        treatment.add_action(late, actor="t", title=title, due_date=dt.date(2020, 1, 1))
    items = manager.api("GET", "/api/v1/risks?overdue=true").json()
    assert [i["reference"] for i in items["items"]] == [late.reference] and items["count"] == 1
    body = manager.client.get(reverse("risks:home")).content.decode()
    assert "2 overdue" in body
