"""REST API of in-app notifications (under /api/v1/, tagged "operations" as before the split)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from aimwell.notifications import querysets
from aimwell.notifications.models import Notification
from aimwell.notifications.schemas import NotificationOut, NotificationPage, NotificationQuery
from aimwell.notifications.services import mark_read
from aimwell.operations.lists import page_of
from aimwell.operations.rest import (
    page_dict,
)

router = Router(tags=["operations"])


@router.get("/notifications", response=NotificationPage, summary="My notifications")
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> dict[str, Any]:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    rows = querysets.notifications_for(request.user, m.organisation)
    unread = rows.filter(read_at__isnull=True).count()
    if query.unread is not None:
        rows = rows.filter(read_at__isnull=query.unread)
    return page_dict(page_of(rows, query.page, query.page_size), unread=unread)


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one of my notifications read",
)
def read_notification(request: HttpRequest, notification_id: uuid.UUID) -> Notification:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    notification = (
        Notification.objects.visible_to(request.user, m.organisation)
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        raise Http404("Not found.")
    return mark_read(notification)
