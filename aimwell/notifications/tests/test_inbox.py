"""The inbox: what waits for a member, on its page, in the API, in the header and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from aimwell.documents import services as documents
from aimwell.improvement import services as improvement
from aimwell.notifications.inbox import inbox_for
from aimwell.notifications.models import Notification
from aimwell.notifications.reminders import send_reminders

pytestmark = pytest.mark.usefixtures("catalog")


def _policy_in_review(org, author):
    """An AI policy (approved by top management) submitted for review by `author`."""
    document = documents.create_document(
        org,
        title="Responsible AI policy",
        doc_type="policy",
        actor=author.user,
        body="We use AI responsibly.",
    )
    version = document.working_version
    documents.submit_for_review(version, actor=author.user)
    return document, version


def _titles(actor) -> list[str]:
    return [item.title for item in inbox_for(actor.membership).items]


def test_a_document_submitted_for_approval_waits_in_the_approvers_inbox_only(org, everyone):
    admin, manager = everyone["admin"], everyone["aims_manager"]
    document, version = _policy_in_review(org, admin)
    wanted = f"Approve {document.reference} Responsible AI policy v1"
    # The manager is top management, whom a policy's approval rule asks for.
    assert wanted in _titles(manager)
    # Not the submitter (who may not approve their own submission), nor anyone outside the rule.
    for role in ("admin", "contributor", "internal_auditor", "staff", "external_auditor"):
        assert wanted not in _titles(everyone[role]), role
    page = manager.client.get(reverse("notifications:inbox")).content.decode()
    assert wanted in page
    assert reverse("documents:version", args=[document.pk, 1]) in page
    assert wanted not in everyone["contributor"].client.get("/inbox/").content.decode()
    api = manager.api("GET", "/api/v1/inbox").json()
    [item] = [i for i in api["items"] if i["kind"] == "document_approval"]
    assert item["title"] == wanted and item["group"] == "approval"
    assert api["counts"]["approval"] >= 1 and api["count"] == len(api["items"])
    # Approved: it leaves the inbox.
    documents.approve(version, membership=manager.membership, actor=manager.user)
    assert wanted not in _titles(manager)


def test_acknowledgements_training_and_due_actions_wait_for_their_member(org, everyone):
    from aimwell.competence import services as competence

    manager, staff = everyone["aims_manager"], everyone["staff"]
    document = documents.create_document(
        org,
        title="Acceptable use of AI",
        doc_type="procedure",
        actor=manager.user,
        body="Use approved tools only.",
        acknowledgement_roles=["staff"],
    )
    version = document.working_version
    documents.submit_for_review(version, actor=everyone["admin"].user)
    documents.approve(version, membership=manager.membership, actor=manager.user)
    documents.publish(version, actor=manager.user)
    competence.create_course(
        org, actor=manager.user, key="ai-basics", title="AI basics", roles=["staff"]
    )
    nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Late review",
        description="d",
        source="other",
        owner=staff.user,
        due_date=dt.date.today() - dt.timedelta(days=2),
    )
    box = inbox_for(staff.membership)
    titles = {item.group: [] for item in box.items}
    for item in box.items:
        titles[item.group].append(item.title)
    assert titles["acknowledgement"] == [
        f"Read and acknowledge {document.reference} Acceptable use of AI v1"
    ]
    assert titles["training"] == ["Take the course AI basics"]
    assert titles["due"] == [f"Nonconformity {nc.reference}: Late review"]
    [due] = [i for i in box.items if i.group == "due"]
    assert due.is_overdue(box.today)
    # The manager's role acknowledges nothing here and owns nothing due.
    assert not [i for i in inbox_for(manager.membership).items if i.group != "approval"]
    version.refresh_from_db()
    documents.acknowledge(version, membership=staff.membership, actor=staff.user)
    assert "acknowledgement" not in {i.group for i in inbox_for(staff.membership).items}


def test_the_header_count_is_loaded_after_the_page(org, everyone):
    admin, manager = everyone["admin"], everyone["aims_manager"]
    _policy_in_review(org, admin)
    page = manager.client.get("/").content.decode()
    assert 'hx-get="/inbox/count/"' in page
    count = manager.client.get(reverse("notifications:inbox-count")).content.decode()
    assert (
        count.strip()
        == f'Inbox <span class="badge warn">{inbox_for(manager.membership).count}</span>'
    )
    # A guest works from their audit workspace: no inbox in their header.
    guest_page = everyone["external_auditor"].client.get("/").content.decode()
    assert "/inbox/count/" not in guest_page


def test_the_daily_reminders_send_a_digest_of_the_inbox(org, everyone):
    admin, manager = everyone["admin"], everyone["aims_manager"]
    _policy_in_review(org, admin)
    Notification.objects.all().delete()
    mail.outbox.clear()
    day = dt.date.today()
    report = send_reminders(day, organisation=org)
    [digest] = [n for n in report.digests if n.user_id == manager.user.pk]
    assert digest.title == "Waiting in your inbox: 1 approval" and digest.url == "/inbox/"
    [sent] = [m for m in mail.outbox if m.to == [manager.user.email]]
    assert "Waiting in your inbox: 1 approval: /inbox/" in sent.body
    # Once a day.
    again = send_reminders(day, organisation=org)
    assert again.digests == []


def test_the_inbox_page_and_api_do_not_grow_queries_with_items(org, everyone):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin, manager = everyone["admin"], everyone["aims_manager"]

    def waiting(n: int) -> None:
        for i in range(n):
            document = documents.create_document(
                org,
                title=f"Procedure {i}",
                doc_type="procedure",
                actor=admin.user,
                body="Steps.",
                acknowledgement_roles=["aims_manager"],
            )
            documents.submit_for_review(document.working_version, actor=admin.user)

    def count(url: str, api: bool = False) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = manager.api("GET", url) if api else manager.client.get(url)
            assert response.status_code == 200
        return len(ctx.captured_queries)

    waiting(1)
    manager.csrf()  # warm up the session
    few = (count("/inbox/"), count("/api/v1/inbox", api=True), count("/inbox/count/"))
    waiting(6)
    assert inbox_for(manager.membership).counts()["approval"] == 7
    many = (count("/inbox/"), count("/api/v1/inbox", api=True), count("/inbox/count/"))
    assert many == few
