"""The audit-events API: a documented maximum page size (over it, 400), keyset pages that walk
the whole trail, and a count that does not read every event."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.core import audit
from aimwell.core.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit-events"


def _events(org, n: int) -> None:
    audit.record_events(
        organisation_id=org.pk,
        actor="test",
        events=[
            audit.PendingEvent(
                action="test.thing", object_type="test.thing", object_id=str(i), object_repr="x"
            )
            for i in range(n)
        ],
    )


def test_keyset_pages_walk_the_trail_newest_first(org, manager):
    _events(org, 12)
    total = AuditEvent.objects.filter(organisation=org).count()
    seen: list[int] = []
    before = None
    while True:
        query = f"?limit=5&before={before}" if before is not None else "?limit=5"
        page = manager.api("GET", URL + query).json()
        assert page["count"] == total
        seen += [e["seq"] for e in page["items"]]
        before = page["next_before"]
        if before is None:
            break
    assert seen == list(range(total, 0, -1))  # every event once, newest first


def test_page_size_over_the_maximum_is_refused(org, manager):
    response = manager.api("GET", f"{URL}?limit=501")
    assert response.status_code == 400
    assert "between 1 and 500" in response.json()["message"]
    assert manager.api("GET", f"{URL}?limit=0").status_code == 400
    assert len(manager.api("GET", f"{URL}?limit=500").json()["items"]) >= 1


def test_filtered_count_and_offset(org, manager):
    _events(org, 6)
    page = manager.api("GET", f"{URL}?object_type=test.thing&limit=2&offset=1").json()
    assert page["count"] == 6
    assert [e["object_id"] for e in page["items"]] == ["4", "3"]  # newest is "5"


def test_query_count_does_not_grow_with_the_trail(org, manager):
    _events(org, 3)
    manager.api("GET", URL)
    with CaptureQueriesContext(connection) as few:
        manager.api("GET", URL)
    _events(org, 60)
    with CaptureQueriesContext(connection) as many:
        manager.api("GET", URL + "?before=40")
    assert len(many) == len(few)
    assert not any("COUNT(" in q["sql"].upper() for q in many)
