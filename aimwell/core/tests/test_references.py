"""References (R-001, NC-002, CR-003) come from a per-organisation counter: they continue after
references already stored, and two people creating at once on PostgreSQL never get the same one
(before the counter, concurrent risk creation answered 500 under the load benchmark)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connections, transaction

from aimwell.accounts import services as accounts
from aimwell.core import audit
from aimwell.risks.models import Risk
from aimwell.risks.services import register
from aimwell.risks.tests.factories import method


def _create(org, title):
    return register.create_risk(
        org,
        actor="test",
        title=title,
        custom_source="Model error",
        likelihood=2,
        consequences={"individuals": {"rating": 2}},
    )


@pytest.mark.django_db
def test_numbers_continue_after_references_already_stored(org, catalog):
    method(org)
    assert _create(org, "First").reference == "R-001"
    assert _create(org, "Second").reference == "R-002"
    # Another organisation's numbering is its own.
    other = accounts.create_organisation(name="Other", slug="other-refs", actor="test")
    method(other)
    assert _create(other, "Theirs").reference == "R-001"


@pytest.mark.django_db
def test_first_allocation_starts_after_an_imported_reference(org, catalog):
    method(org)
    imported = _create(org, "Imported")
    # As an import from another register would leave it: a high reference (with its number,
    # which orders the register), and no counter yet.
    Risk.objects.filter(pk=imported.pk).update(reference="R-041", sequence=41)
    from aimwell.core.models import ReferenceCounter

    ReferenceCounter.objects.filter(organisation=org).delete()
    assert _create(org, "Next").reference == "R-042"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_distinct_consecutive_references():
    from aimwell.catalog.services import load_builtin_catalog

    load_builtin_catalog()
    org = accounts.create_organisation(name="Busy Org", slug="busy-refs", actor="test")
    method(org)
    writers, per_writer = 6, 5
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                if n % 2:
                    _create(org, f"Writer {n} risk {i}")
                    continue
                # Half the writers record an event first in the same transaction (holding the
                # audit chain head) and then create: no deadlock with those taking the counter.
                with transaction.atomic():
                    audit.record_event(
                        organisation_id=org.id,
                        actor=f"writer {n}",
                        action="test.before_risk",
                        object_type="test.thing",
                        object_id=f"{n}-{i}",
                        object_repr=f"thing {n}-{i}",
                    )
                    _create(org, f"Writer {n} risk {i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    assert errors == []
    references = sorted(Risk.objects.filter(organisation=org).values_list("reference", flat=True))
    assert references == [f"R-{n:03d}" for n in range(1, writers * per_writer + 1)]
