"""API schemas of management reviews: explicit inputs, patches, outputs and list queries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.improvement.schemas import ActionOut
from aimwell.operations.schemas import ListQuery, PageMeta, Text, Title, UserRef


class ReviewIn(Schema):
    title: str = Title
    planned_on: dt.date
    chair_email: str | None = None
    attendees: str = Text


class ReviewPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    planned_on: dt.date | None = None
    chair_email: str | None = None
    attendees: str | None = Field(None, max_length=10000)
    input_notes: str | None = Field(None, max_length=20000)
    minutes: str | None = Field(None, max_length=50000)
    conclusions: str | None = Field(None, max_length=20000)
    decisions: str | None = Field(None, max_length=20000)


class ReviewQuery(ListQuery):
    status: str | None = None


class ReviewOut(Schema):
    id: uuid.UUID
    title: str
    planned_on: dt.date
    held_on: dt.date | None
    status: str
    chair: UserRef | None


class ReviewDetailOut(ReviewOut):
    attendees: str
    inputs: dict[str, Any]
    inputs_gathered_at: dt.datetime | None
    input_notes: str
    minutes: str
    conclusions: str
    decisions: str
    actions: list[ActionOut]


class ReviewPage(PageMeta):
    items: list[ReviewOut]


class HoldIn(Schema):
    held_on: dt.date
    minutes: str = Field("", max_length=50000)
    conclusions: str = Field(..., min_length=1, max_length=20000)
    decisions: str = Field("", max_length=20000)
