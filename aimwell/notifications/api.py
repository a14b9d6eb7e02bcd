"""REST API of in-app notifications (under /api/v1/, tagged "operations" as before the split)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from ninja import Query, Router

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.notifications import querysets
from aimwell.notifications.inbox import inbox_for
from aimwell.notifications.models import Notification
from aimwell.notifications.schemas import (
    InboxOut,
    NotificationOut,
    NotificationPage,
    NotificationQuery,
)
from aimwell.notifications.services import mark_read
from aimwell.operations.lists import page_of
from aimwell.operations.rest import (
    page_dict,
)

router = Router(tags=["operations"])


@router.get("/inbox", response=InboxOut, summary="My inbox: what waits for me")
def my_inbox(request: AimwellRequest) -> dict[str, Any]:
    # A guest's work is in their audit workspace; they acknowledge nothing and own nothing here.
    m = require(request.membership, Capability.ACKNOWLEDGE)
    box = inbox_for(m)
    return {
        "count": box.count,
        "counts": box.counts(),
        "items": [
            {
                "group": i.group,
                "kind": i.kind,
                "title": i.title,
                "url": i.url,
                "due_date": i.due_date,
                "overdue": i.is_overdue(box.today),
                "detail": i.detail,
            }
            for i in box.items
        ],
    }


@router.get("/notifications", response=NotificationPage, summary="My notifications")
def list_notifications(request: AimwellRequest, query: Query[NotificationQuery]) -> dict[str, Any]:
    m = request.membership
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
def read_notification(request: AimwellRequest, notification_id: uuid.UUID) -> Notification:
    m = request.membership
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
