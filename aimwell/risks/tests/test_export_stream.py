"""The risk register's CSV is streamed from plain values: the same rows as the register, each
risk's selected controls beside it, and a number of queries that does not grow with the risks."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.core.models import ReferenceCounter
from aimwell.risks.services import treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/risks/export/?format=csv"


def _rows(client) -> list[list[str]]:
    response = client.get(URL)
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def test_csv_rows_carry_their_controls_in_numeric_order(catalog, org, manager):
    system = f.system(org)
    first = f.risk(org, title="first", system=system)
    ReferenceCounter.objects.filter(organisation=org).update(last=998)
    late = f.risk(org, title="R-999 one")
    later = f.risk(org, title="R-1000 one")  # R-1000, before R-999 as text
    treatment.select_control(later, actor="t", node=f.node("A.6.2.4"))
    treatment.select_control(later, actor="t", node=f.node("A.7.4"))
    treatment.set_treatment(first, actor="t", option="modify", plan="Retrain")
    header, *rows = _rows(manager.client)
    column = {name: i for i, name in enumerate(header)}
    assert [r[column["Reference"]] for r in rows] == [first.reference, "R-999", "R-1000"]
    assert late.reference == "R-999" and later.reference == "R-1000"
    by_ref = {r[column["Reference"]]: r for r in rows}
    assert by_ref["R-1000"][column["Selected controls"]] == "A.6.2.4, A.7.4"
    assert by_ref["R-999"][column["Selected controls"]] == ""
    assert by_ref["R-999"][column["AI system"]] == "Organisation-wide"
    first_row = by_ref[first.reference]
    assert first_row[column["AI system"]] == system.name
    assert first_row[column["Treatment"]] == "Modify (reduce with controls)"
    assert first_row[column["Band"]] and first_row[column["Method"]].endswith("v1")
    assert first_row[column["Consequences"]] == "individuals: 4 Unfair refusal"


def test_csv_query_count_does_not_grow_with_the_register(catalog, org, manager):
    f.risk(org, title="one")
    _rows(manager.client)
    with CaptureQueriesContext(connection) as few:
        _rows(manager.client)
    for i in range(6):
        risk = f.risk(org, title=f"more {i}")
        treatment.select_control(risk, actor="t", node=f.node("A.6.2.4"))
    with CaptureQueriesContext(connection) as many:
        assert len(_rows(manager.client)) == 8
    assert len(many) == len(few)
