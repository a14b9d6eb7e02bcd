"""API schemas of AI incidents and concerns: explicit inputs, patches, outputs and list queries."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.incidents.choices import (
    ConcernCategory,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
    SeriousKind,
)
from aimwell.operations.schemas import ListQuery, PageMeta, SystemRef, Text, Title, UserRef


class IncidentIn(Schema):
    title: str = Title
    description: str = Field(..., min_length=1, max_length=10000)
    severity: IncidentSeverity
    system_ids: list[uuid.UUID] = []
    owner_email: str | None = None
    harm: str = Text
    occurred_at: dt.datetime | None = None
    detected_at: dt.datetime | None = None
    detection: str = Text
    response: str = Text
    is_serious: bool = False
    serious_kind: SeriousKind | None = None
    aware_on: dt.date | None = None


class IncidentPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    severity: IncidentSeverity | None = None
    status: IncidentStatus | None = None
    owner_email: str | None = None
    harm: str | None = Field(None, max_length=10000)
    detection: str | None = Field(None, max_length=10000)
    response: str | None = Field(None, max_length=10000)
    is_serious: bool | None = None
    serious_kind: SeriousKind | None = None
    aware_on: dt.date | None = None
    affected_informed_on: dt.date | None = None
    communication: str | None = Field(None, max_length=10000)
    lessons: str | None = Field(None, max_length=10000)
    system_ids: list[uuid.UUID] | None = None


class IncidentQuery(ListQuery):
    status: IncidentStatus | None = None
    severity: IncidentSeverity | None = None
    is_serious: bool | None = None
    system: uuid.UUID | None = None


class IncidentOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    severity: IncidentSeverity
    status: IncidentStatus
    is_serious: bool
    serious_kind: str
    detected_at: dt.datetime
    aware_on: dt.date | None
    report_deadline: dt.date | None
    authority_reported_on: dt.date | None
    days_to_report: int | None
    owner: UserRef | None
    systems: list[SystemRef]

    @staticmethod
    def resolve_days_to_report(obj: object) -> int | None:
        return obj.days_to_report()  # type: ignore[attr-defined, no-any-return]


class IncidentDetailOut(IncidentOut):
    description: str
    harm: str
    occurred_at: dt.datetime | None
    detection: str
    response: str
    authority: str
    affected_informed_on: dt.date | None
    communication: str
    lessons: str


class IncidentPage(PageMeta):
    items: list[IncidentOut]


class AuthorityReportIn(Schema):
    reported_on: dt.date
    authority: str = Field(..., min_length=1, max_length=200)
    communication: str = Text


class RaiseNCIn(Schema):
    title: str = Field("", max_length=200)
    owner_email: str | None = None
    due_date: dt.date | None = None


class ConcernIn(Schema):
    category: ConcernCategory
    description: str = Field(..., min_length=1, max_length=10000)
    system_id: uuid.UUID | None = None
    anonymous: bool = False


class ConcernReceipt(Schema):
    id: uuid.UUID
    reference: str
    follow_up_code: str


class ConcernOut(Schema):
    """A concern as its handlers see it: the reporter only when they chose to be named."""

    id: uuid.UUID
    reference: str
    category: ConcernCategory
    description: str
    system: SystemRef | None
    is_anonymous: bool
    reporter: UserRef | None
    received_on: dt.date
    status: ConcernStatus
    handler: UserRef | None
    triage_notes: str
    outcome: str
    closed_on: dt.date | None
    source: str
    kind: str
    contact_email: str


class ConcernStatusOut(Schema):
    """What a reporter may learn of their concern."""

    reference: str
    category: ConcernCategory
    received_on: dt.date
    status: ConcernStatus
    outcome: str


class ConcernQuery(ListQuery):
    status: ConcernStatus | None = None
    category: ConcernCategory | None = None
    system: uuid.UUID | None = None


class ConcernPage(PageMeta):
    items: list[ConcernOut]


class TriageIn(Schema):
    status: ConcernStatus
    triage_notes: str = Text
    outcome: str = Text
    handler_email: str | None = None


class CodeIn(Schema):
    code: str = Field(..., min_length=1, max_length=100)
