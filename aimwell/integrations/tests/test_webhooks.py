"""Outbound webhooks end to end: events from the AIMS's own services, queued on the real
database queue, sent by the real worker (`db_worker`) to an HTTP receiver on loopback that checks
each signature; a failed delivery is retried later and every attempt is logged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aimwell.core.events import DomainEvent
from aimwell.incidents.services import record_incident
from aimwell.integrations import signing
from aimwell.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from aimwell.integrations.services import delivery
from aimwell.integrations.tasks import deliver_webhook
from aimwell.integrations.tests.servers import webhook_receiver
from aimwell.integrations.webhook_events import event_types_of
from aimwell.notifications.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings: Any) -> Any:
    settings.AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS = True
    with webhook_receiver() as state:
        yield state


def _endpoint(actor: Any, receiver: Any, events: list[str]) -> dict[str, Any]:
    answer = actor.api(
        "POST",
        "/api/v1/integrations/webhooks",
        {"name": "SIEM", "url": receiver.url, "event_types": events},
    )
    assert answer.status_code == 201, answer.content
    created = answer.json()
    receiver.secret = created["secret"]
    return created


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The real queue worker, once through what is due (retries it queues included).

    The worker closes connections it finds outside autocommit between tasks; inside a test's
    transaction that would close the test's own connection on PostgreSQL, so that one piece of
    connection hygiene is switched off here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


def _serious_incident(org: Any, owner: Any, actor: Any) -> Any:
    return record_incident(
        org,
        actor=actor,
        title="Applicants wrongly refused",
        description="A scoring fault refused eligible applicants.",
        severity="high",
        owner=owner,
        is_serious=True,
        serious_kind="health",
        aware_on=dt.date(2026, 3, 2),
    )


def test_an_incident_reaches_the_receiver_signed_after_one_failed_attempt(
    org, manager, receiver, django_capture_on_commit_callbacks, run_worker
):
    created = _endpoint(manager, receiver, ["incident.opened"])
    assert created["secret"].startswith("whsec_")
    stored = WebhookEndpoint.objects.get(pk=created["id"])
    assert created["secret"] not in stored.secret_sealed
    receiver.answers = [500]

    with django_capture_on_commit_callbacks(execute=True):
        incident = _serious_incident(org, manager.user, manager.user)
    queued = WebhookDelivery.objects.get()
    assert queued.event_type == "incident.opened" and queued.status == DeliveryStatus.PENDING

    run_worker()
    queued.refresh_from_db()
    assert queued.status == DeliveryStatus.RETRYING and queued.attempts == 1
    assert queued.last_status_code == 500
    # The retry waits on the queue for the first pause (one minute).
    retry = DBTaskResult.objects.get(task_path=deliver_webhook.module_path, status="READY")
    assert dt.timedelta(seconds=55) < retry.run_after - timezone.now() <= dt.timedelta(minutes=1)
    run_worker()
    assert len(receiver.received) == 1  # not yet due
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    queued.refresh_from_db()
    assert queued.status == DeliveryStatus.DELIVERED and queued.attempts == 2
    log = [(a.number, a.status_code) for a in queued.attempt_log.all()]
    assert log == [(1, 500), (2, 204)]
    assert len(receiver.received) == 2
    assert all(r.signature_ok for r in receiver.received)
    first, second = receiver.received
    assert first.body == second.body  # a retry sends the same event
    payload = json.loads(second.body)
    assert payload["type"] == "incident.opened"
    assert payload["id"] == second.headers["Aimwell-Event-Id"] == str(queued.event_id)
    assert payload["data"]["object"]["id"] == str(incident.pk)
    clock = payload["data"]["incident"]
    assert clock["serious"] is True
    # Art. 73(2): 15 days from awareness for serious harm to health (worked out by hand).
    assert clock["aware_on"] == "2026-03-02" and clock["report_deadline"] == "2026-03-17"

    detail = manager.api("GET", f"/api/v1/integrations/webhook-deliveries/{queued.pk}").json()
    assert [a["status_code"] for a in detail["attempt_log"]] == [500, 204]
    page = manager.client.get(reverse("integrations:delivery", args=[queued.pk])).content.decode()
    assert "HTTP 500" in page and "HTTP 204" in page


def test_a_receiver_with_another_secret_rejects_the_signature(
    org, manager, receiver, django_capture_on_commit_callbacks, run_worker
):
    created = _endpoint(manager, receiver, ["incident.opened"])
    receiver.secret = "whsec_not-the-one"
    with django_capture_on_commit_callbacks(execute=True):
        manager.api("POST", f"/api/v1/integrations/webhooks/{created['id']}/ping")
    run_worker()
    assert len(receiver.received) == 1 and receiver.received[0].signature_ok is False
    assert receiver.payloads()[0]["type"] == "webhook.ping"


def test_a_delivery_gives_up_after_the_last_retry_and_says_why(org, manager, settings):
    settings.AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS = True
    from aimwell.integrations import services
    from aimwell.integrations.tests.servers import free_port

    endpoint, _ = services.create_endpoint(
        org,
        actor=manager.user,
        name="Gone",
        url=f"http://127.0.0.1:{free_port()}/hook",
        event_types=["incident.opened"],
    )
    queued = delivery.queue_ping(endpoint, actor=manager.user)
    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.attempt(queued.pk)
    queued.refresh_from_db()
    assert queued.status == DeliveryStatus.FAILED
    assert queued.attempts == delivery.MAX_ATTEMPTS == 6
    assert queued.next_attempt_at is None
    assert "Could not reach the endpoint" in queued.last_error
    assert queued.attempt_log.count() == 6


def test_due_items_and_art73_clocks_are_delivered_from_the_daily_reminders(
    org, manager, receiver, django_capture_on_commit_callbacks, run_worker
):
    _endpoint(manager, receiver, ["item.due", "incident.art73"])
    incident = _serious_incident(org, manager.user, manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(dt.date(2026, 3, 18), organisation=org, email=False)
    types = sorted(WebhookDelivery.objects.values_list("event_type", flat=True))
    assert types == ["incident.art73", "item.due"]
    run_worker()
    by_type = {p["type"]: p for p in receiver.payloads()}
    due = by_type["item.due"]["data"]
    assert due["object"]["id"] == str(incident.pk)
    assert due["changes"]["due_date"] == "2026-03-17"
    assert "overdue by 1 day" in due["changes"]["status"]
    assert by_type["incident.art73"]["data"]["incident"]["reference"] == incident.reference


def test_only_active_subscribed_endpoints_of_the_same_organisation_get_an_event(
    org, other_org, manager, outsider, receiver, django_capture_on_commit_callbacks
):
    mine = _endpoint(manager, receiver, ["finding.recorded"])
    manager.api("PATCH", f"/api/v1/integrations/webhooks/{mine['id']}", {"is_active": False})
    theirs = outsider.api(
        "POST",
        "/api/v1/integrations/webhooks",
        {"name": "Theirs", "url": receiver.url, "event_types": ["incident.opened"]},
    )
    assert theirs.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        _serious_incident(org, manager.user, manager.user)
    assert not WebhookDelivery.objects.exists()


def test_events_are_sorted_into_webhook_types():
    def event(action: str, **changes: Any) -> DomainEvent:
        return DomainEvent(org_id, action, "x.y", "1", "label", changes)

    org_id = WebhookEndpoint._meta.pk.to_python("00000000-0000-0000-0000-000000000001")
    assert event_types_of(event("monitor_run.succeeded", breaches=[0, 2])) == ["monitor.breach"]
    assert event_types_of(event("monitor_run.succeeded", breaches=[0, 0])) == []
    assert event_types_of(event("audit.finding_added")) == ["finding.recorded"]
    assert event_types_of(event("certification.finding_recorded")) == ["finding.recorded"]
    assert event_types_of(event("document.approved")) == ["approval.decided"]
    assert event_types_of(event("risk.residual_accepted")) == ["approval.decided"]
    assert event_types_of(event("incident.updated", report_deadline=[None, "2026-01-01"])) == [
        "incident.art73"
    ]
    assert event_types_of(event("incident.updated", title=["a", "b"])) == []
    assert event_types_of(event("action.due")) == ["item.due"]
    assert event_types_of(event("document.draft_saved")) == []


def test_the_reference_check_refuses_a_changed_body_or_an_old_timestamp():
    body = b'{"id": "1"}'
    header = signing.header_value("whsec_abc", body, timestamp=1_700_000_000)
    assert signing.verify("whsec_abc", header, body, now=1_700_000_100)
    assert not signing.verify("whsec_abc", header, body + b" ", now=1_700_000_100)
    assert not signing.verify("whsec_other", header, body, now=1_700_000_100)
    assert not signing.verify("whsec_abc", header, body, now=1_700_000_000 + 301)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "Only http"),
        ("http://127.0.0.1:8080/hook", "private or local address"),
        ("http://169.254.169.254/latest/meta-data", "private or local address"),
        ("http://[::1]/hook", "private or local address"),
        ("http://user:pw@example.com/hook", "credentials"),
    ],
)
def test_unsafe_targets_are_refused_with_a_message(org, manager, url, message):
    answer = manager.api(
        "POST",
        "/api/v1/integrations/webhooks",
        {"name": "Bad", "url": url, "event_types": ["incident.opened"]},
    )
    assert answer.status_code == 400 and message in answer.json()["message"]
    assert not WebhookEndpoint.objects.exists()


def test_unknown_event_types_are_refused(org, manager, settings):
    settings.AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS = True
    answer = manager.api(
        "POST",
        "/api/v1/integrations/webhooks",
        {"name": "X", "url": "http://127.0.0.1:9/x", "event_types": ["everything"]},
    )
    assert answer.status_code == 400 and "Unknown event type" in answer.json()["message"]


def test_the_delivery_log_costs_the_same_queries_for_more_rows(org, manager, settings):
    settings.AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS = True
    from aimwell.integrations import services

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert manager.client.get(reverse("integrations:deliveries")).status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert manager.api("GET", "/api/v1/integrations/webhook-deliveries").status_code == 200
        return len(page), len(api)

    endpoints = [
        services.create_endpoint(
            org, actor="t", name=f"E{i}", url="http://127.0.0.1:9/x", event_types=["item.due"]
        )[0]
        for i in range(3)
    ]
    for endpoint in endpoints[:1]:
        delivery.queue_ping(endpoint, actor="t")
    counts()  # the first request of a session loads what later ones have cached
    small = counts()
    for endpoint in endpoints:
        for _ in range(3):
            delivery.queue_ping(endpoint, actor="t")
    assert counts() == small
