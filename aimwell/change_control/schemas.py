"""API schemas of change requests: explicit fields in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.change_control.choices import ChangeScope

Text = Field("", max_length=10000)


class ChangeIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    scope: ChangeScope
    system_id: uuid.UUID | None = None
    reason: str = Field(..., min_length=1, max_length=10000)
    what_changes: str = Field(..., min_length=1, max_length=10000)
    impact_on_risks: str = Text
    impact_on_assessments: str = Text
    impact_on_soa: str = Text
    impact_on_documents: str = Text
    planned_for: dt.date | None = None
    review_after: dt.date | None = None


class ChangePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    scope: ChangeScope | None = None
    system_id: uuid.UUID | None = None
    reason: str | None = Field(None, min_length=1, max_length=10000)
    what_changes: str | None = Field(None, min_length=1, max_length=10000)
    impact_on_risks: str | None = Field(None, max_length=10000)
    impact_on_assessments: str | None = Field(None, max_length=10000)
    impact_on_soa: str | None = Field(None, max_length=10000)
    impact_on_documents: str | None = Field(None, max_length=10000)
    planned_for: dt.date | None = None
    review_after: dt.date | None = None


class ChangeActionIn(Schema):
    note: str = Field("", max_length=5000)
    on: dt.date | None = None


class ChangeOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    scope: str
    system_id: uuid.UUID | None
    system: str | None
    reason: str
    what_changes: str
    impact_on_risks: str
    impact_on_assessments: str
    impact_on_soa: str
    impact_on_documents: str
    planned_for: dt.date | None
    review_after: dt.date | None
    owner: str | None
    status: str
    version: int
    submitted_at: dt.datetime | None
    decided_by: str
    decided_at: dt.datetime | None
    decision_note: str
    implemented_on: dt.date | None
    reviewed_on: dt.date | None
    review_note: str


class ChangePage(Schema):
    count: int
    items: list[ChangeOut]
