"""Two writers at once on PostgreSQL still produce one linear chain (row lock on the head)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connections

from aimwell.accounts import services
from aimwell.core import audit
from aimwell.core.models import AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_writers_give_one_valid_chain():
    org = services.create_organisation(name="Busy Org", slug="busy", actor="test")
    writers, per_writer = 4, 25
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                audit.record_event(
                    organisation_id=org.id,
                    actor=f"writer {n}",
                    action="test.write",
                    object_type="test.thing",
                    object_id=f"{n}-{i}",
                    object_repr=f"thing {n}-{i}",
                )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    assert errors == []
    seqs = list(
        AuditEvent.objects.filter(organisation=org).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, writers * per_writer + 2))
    checked, problem = audit.verify_organisation(org.id)
    assert problem is None
    assert checked == writers * per_writer + 1
