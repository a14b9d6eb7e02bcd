"""The only writers of in-app notifications; each write records an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aimwell.notifications.models import Notification


def notify(
    user: Any,
    organisation: Any,
    *,
    kind: str,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
    due_date: dt.date | None = None,
) -> Notification | None:
    """Tell a member something once: a second call with the same key does nothing."""
    if user is None or Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                organisation=organisation,
                user=user,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                key=key[:200],
                due_date=due_date,
            )
    except IntegrityError:
        return None


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def mark_all_read(user: Any, organisation: Any) -> int:
    return Notification.objects.filter(
        user=user, organisation=organisation, read_at__isnull=True
    ).update(read_at=timezone.now())
