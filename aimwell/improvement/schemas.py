"""API schemas of nonconformities and their corrective actions: explicit inputs, patches, outputs
and list queries."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.improvement.choices import Effectiveness, NCSource, Severity
from aimwell.operations.schemas import ListQuery, NodeRef, PageMeta, SystemRef, Text, Title, UserRef


class NonconformityIn(Schema):
    title: str = Title
    description: str = Field(..., min_length=1, max_length=10000)
    source: NCSource
    severity: Severity = Severity.MINOR
    owner_email: str | None = None
    due_date: dt.date | None = None
    requirement_urn: str | None = None
    system_ids: list[uuid.UUID] = []


class NonconformityPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    severity: Severity | None = None
    owner_email: str | None = None
    due_date: dt.date | None = None
    requirement_urn: str | None = None


class NonconformityQuery(ListQuery):
    status: str | None = None
    source: NCSource | None = None
    severity: Severity | None = None
    owner: str | None = None
    overdue: bool | None = None


class NonconformityOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    source: NCSource
    severity: Severity
    status: str
    owner: UserRef | None
    raised_on: dt.date
    due_date: dt.date | None
    closed_on: dt.date | None
    is_overdue: bool

    @staticmethod
    def resolve_is_overdue(obj: object) -> bool:
        return bool(obj.is_overdue())  # type: ignore[attr-defined]


class ActionOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    description: str
    owner: UserRef | None
    due_date: dt.date | None
    status: str
    completed_on: dt.date | None
    completion_note: str
    nonconformity_id: uuid.UUID | None
    review_id: uuid.UUID | None
    is_overdue: bool

    @staticmethod
    def resolve_is_overdue(obj: object) -> bool:
        return bool(obj.is_overdue())  # type: ignore[attr-defined]


class NonconformityDetailOut(NonconformityOut):
    description: str
    requirement: NodeRef | None
    systems: list[SystemRef]
    finding_id: uuid.UUID | None
    incident_id: uuid.UUID | None
    concern_id: uuid.UUID | None
    review_id: uuid.UUID | None
    correction: str
    correction_done_on: dt.date | None
    root_cause: str
    root_cause_method: str
    verification_result: str
    verification_notes: str
    verified_by: UserRef | None
    verified_on: dt.date | None
    actions: list[ActionOut]


class NonconformityPage(PageMeta):
    items: list[NonconformityOut]


class CorrectionIn(Schema):
    correction: str = Field(..., min_length=1, max_length=10000)
    done_on: dt.date | None = None


class RootCauseIn(Schema):
    root_cause: str = Field(..., min_length=1, max_length=10000)
    method: str = Field("", max_length=100)


class ActionIn(Schema):
    title: str = Title
    description: str = Text
    owner_email: str | None = None
    due_date: dt.date | None = None


class ActionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    owner_email: str | None = None
    due_date: dt.date | None = None


class ActionQuery(ListQuery):
    status: str | None = None
    owner: str | None = None
    overdue: bool | None = None
    kind: str | None = Field(None, description="corrective or review")


class ActionPage(PageMeta):
    items: list[ActionOut]


class CompleteIn(Schema):
    note: str = Text
    completed_on: dt.date | None = None


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class VerificationIn(Schema):
    result: Effectiveness
    notes: str = Field(..., min_length=1, max_length=10000)
    verified_on: dt.date | None = None


class CloseIn(Schema):
    closed_on: dt.date | None = None
