"""Two people saving the same draft at the same moment on PostgreSQL: one save wins, the other
gets a conflict, and both texts survive."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connections

from aimwell.accounts import services as accounts
from aimwell.documents import services
from aimwell.documents.models import DocumentVersion, DraftConflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_saves_one_wins_one_conflicts():
    org = accounts.create_organisation(name="Busy Docs", slug="busy-docs", actor="test")
    document = services.create_document(
        org, title="Shared draft", doc_type="procedure", body="start", actor="test"
    )
    version_id = document.working_version_id
    base = document.working_version.lock_version
    writers = 6
    barrier = threading.Barrier(writers)
    results: list[object] = []
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            version = DocumentVersion.objects.get(pk=version_id)
            barrier.wait()
            results.append(
                services.save_draft(
                    version, body=f"text of writer {n}", based_on=base, actor=f"w{n}"
                )
            )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    assert errors == []
    winners = [r for r in results if r.conflict is None]  # type: ignore[attr-defined]
    assert len(winners) == 1
    version = DocumentVersion.objects.get(pk=version_id)
    assert version.lock_version == base + 1
    kept = set(DraftConflict.objects.filter(version=version).values_list("body", flat=True))
    assert len(kept) == writers - 1
    assert kept | {version.body} == {f"text of writer {n}" for n in range(writers)}
