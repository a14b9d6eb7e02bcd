"""Sending webhook deliveries: queue one per subscribed endpoint, post it signed, log each
attempt, retry a failure later with growing pauses, give up after the last.

Deliveries run on the worker's queue (django-tasks, `tasks.deliver_webhook`), never inside the
request that caused the event, so a slow receiver never slows a page."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aimwell.core.events import DomainEvent
from aimwell.integrations import sealing, signing, webhook_events
from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.http import request
from aimwell.integrations.models import (
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)

# Pauses before the 2nd, 3rd, … attempt: 1 min, 5 min, 30 min, 2 h, 6 h; then it gives up.
RETRY_PAUSES = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_PAUSES) + 1
USER_AGENT = "Aimwell-Webhooks/1"


def _enqueue(delivery_id: Any, run_after: dt.datetime | None = None) -> None:
    from aimwell.integrations.tasks import deliver_webhook

    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    task.enqueue(str(delivery_id))


def _create(endpoint: WebhookEndpoint, event_type: str, event_id: uuid.UUID, body: str) -> Any:
    delivery = WebhookDelivery.objects.create(
        organisation_id=endpoint.organisation_id,
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        body=body,
    )
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def queue_events(wanted: list[tuple[DomainEvent, list[str]]]) -> list[WebhookDelivery]:
    """One delivery per (event, type, subscribed active endpoint), queued on the worker."""
    by_org: dict[Any, list[WebhookEndpoint]] = defaultdict(list)
    org_ids = {event.organisation_id for event, _ in wanted}
    for endpoint in WebhookEndpoint.objects.filter(organisation_id__in=org_ids, is_active=True):
        by_org[endpoint.organisation_id].append(endpoint)
    created: list[WebhookDelivery] = []
    with transaction.atomic():
        for event, types in wanted:
            for event_type in types:
                endpoints = [
                    e for e in by_org.get(event.organisation_id, []) if event_type in e.event_types
                ]
                if not endpoints:
                    continue
                event_id = uuid.uuid4()
                body = webhook_events.document(event, event_type, event_id)
                created += [_create(e, event_type, event_id, body) for e in endpoints]
    return created


def queue_ping(endpoint: WebhookEndpoint, *, actor: Any) -> WebhookDelivery:
    """A test event to one endpoint, so its owner can check the receiver and the signature."""
    event = DomainEvent(
        organisation_id=endpoint.organisation_id,
        action="webhook.ping",
        object_type="integrations.webhookendpoint",
        object_id=str(endpoint.pk),
        object_repr=endpoint.name,
        actor_label=str(getattr(actor, "email", None) or actor),
    )
    event_id = uuid.uuid4()
    with transaction.atomic():
        return _create(
            endpoint,
            "webhook.ping",
            event_id,
            webhook_events.document(event, "webhook.ping", event_id),
        )


def headers_for(delivery: WebhookDelivery, secret: str, *, timestamp: int | None = None) -> dict:
    body = delivery.body.encode()
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Aimwell-Event": delivery.event_type,
        "Aimwell-Event-Id": str(delivery.event_id),
        "Aimwell-Delivery": str(delivery.pk),
        signing.SIGNATURE_HEADER: signing.header_value(secret, body, timestamp),
    }


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    endpoint = delivery.endpoint
    try:
        secret = sealing.unseal(endpoint.secret_sealed)
        answer = request(
            "POST",
            endpoint.url,
            headers=headers_for(delivery, secret),
            body=delivery.body.encode(),
            timeout=settings.AIMWELL_WEBHOOK_TIMEOUT_SECONDS,
            limit=2048,
        )
    except IntegrationError as exc:
        return None, str(exc)
    except OSError as exc:
        reason = getattr(exc, "reason", None) or exc
        return None, f"Could not reach the endpoint: {reason}"
    if 200 <= answer.status < 300:
        return answer.status, ""
    text = answer.body.decode("utf-8", "replace").strip().replace("\n", " ")
    return answer.status, f"HTTP {answer.status}" + (f": {text[:300]}" if text else "")


def attempt(delivery_id: Any) -> WebhookDelivery | None:
    """Make the next attempt of a delivery (the worker's task); schedules the retry itself."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        return delivery
    started = time.monotonic()
    if not delivery.endpoint.is_active:
        status_code, error = None, "The endpoint is disabled."
    else:
        status_code, error = _post(delivery)
    elapsed = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    number = delivery.attempts + 1
    ok = status_code is not None and 200 <= status_code < 300
    retry = not ok and number < MAX_ATTEMPTS and delivery.endpoint.is_active
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            organisation_id=delivery.organisation_id,
            delivery=delivery,
            number=number,
            status_code=status_code,
            error=error[:500],
            duration_ms=elapsed,
        )
        delivery.attempts = number
        delivery.last_status_code = status_code
        delivery.last_error = error[:500]
        delivery.delivered_at = now if ok else None
        delivery.status = (
            DeliveryStatus.DELIVERED
            if ok
            else DeliveryStatus.RETRYING
            if retry
            else DeliveryStatus.FAILED
        )
        delivery.next_attempt_at = now + RETRY_PAUSES[number - 1] if retry else None
        delivery.save()
        if retry:
            when = delivery.next_attempt_at
            transaction.on_commit(lambda: _enqueue(delivery.pk, when))
    return delivery


@transaction.atomic
def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now (from the log), whatever became of it; attempts keep counting."""
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery
