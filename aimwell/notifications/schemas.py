"""API schemas of in-app notifications: explicit inputs, patches, outputs and list queries."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.operations.schemas import PageMeta


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    url: str
    due_date: dt.date | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationQuery(Schema):
    unread: bool | None = None
    page: int = 1
    page_size: int = Field(25, ge=1, le=200)


class NotificationPage(PageMeta):
    unread: int
    items: list[NotificationOut]


class InboxItemOut(Schema):
    group: str = Field(description="approval, acknowledgement, training or due")
    kind: str
    title: str
    url: str
    due_date: dt.date | None
    overdue: bool
    detail: str


class InboxOut(Schema):
    count: int
    counts: dict[str, int] = Field(description="items per group")
    items: list[InboxItemOut]
