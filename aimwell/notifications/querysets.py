"""Queries of in-app notifications: the register lists and what the pages read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aimwell.notifications.models import Notification


def notifications_for(user: Any, organisation: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk, organisation=organisation).order_by(
        "read_at", "-created_at"
    )
