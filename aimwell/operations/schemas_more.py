"""API schemas of management reviews, incidents, concerns, objectives, training and
notifications."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.operations.choices import (
    ConcernCategory,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
    MeasurementSource,
    ObjectiveDirection,
    SeriousKind,
    TrainingSource,
)
from aimwell.operations.schemas import (
    ActionOut,
    ListQuery,
    NodeRef,
    PageMeta,
    SystemRef,
    Text,
    Title,
    UserRef,
)

# Management reviews ------------------------------------------------------------------------------


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


# Incidents ---------------------------------------------------------------------------------------


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


# Concerns ----------------------------------------------------------------------------------------


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


# Objectives --------------------------------------------------------------------------------------


class ObjectiveIn(Schema):
    title: str = Title
    description: str = Text
    measure: str = Field(..., min_length=1, max_length=300)
    unit: str = Field("", max_length=40)
    baseline: float | None = None
    target: float
    direction: ObjectiveDirection = ObjectiveDirection.AT_LEAST
    owner_email: str | None = None
    due_date: dt.date
    annex_c_urn: str | None = None
    business_objective_id: uuid.UUID | None = None
    system_ids: list[uuid.UUID] = []


class ObjectivePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    measure: str | None = Field(None, min_length=1, max_length=300)
    unit: str | None = Field(None, max_length=40)
    baseline: float | None = None
    target: float | None = None
    direction: ObjectiveDirection | None = None
    owner_email: str | None = None
    due_date: dt.date | None = None
    annex_c_urn: str | None = None
    system_ids: list[uuid.UUID] | None = None


class ObjectiveQuery(ListQuery):
    status: str | None = None
    owner: str | None = None
    system: uuid.UUID | None = None


class ObjectiveOut(Schema):
    id: uuid.UUID
    title: str
    measure: str
    unit: str
    baseline: float | None
    target: float
    direction: ObjectiveDirection
    owner: UserRef | None
    due_date: dt.date
    status: str
    latest_value: float | None
    latest_on: dt.date | None
    annex_c: NodeRef | None
    systems: list[SystemRef]


class MeasurementOut(Schema):
    id: uuid.UUID
    measured_on: dt.date
    value: float
    source: MeasurementSource
    note: str


class ObjectiveDetailOut(ObjectiveOut):
    description: str
    business_objective_id: uuid.UUID | None
    measurements: list[MeasurementOut]


class ObjectivePage(PageMeta):
    items: list[ObjectiveOut]


class MeasurementIn(Schema):
    value: float
    measured_on: dt.date | None = None
    source: MeasurementSource = MeasurementSource.MANUAL
    note: str = Field("", max_length=300)


# Training ----------------------------------------------------------------------------------------


class QuizQuestion(Schema):
    question: str = Field(..., min_length=1, max_length=1000)
    options: list[str] = Field(..., min_length=2, max_length=10)
    answer: int = Field(..., ge=0)


class CourseIn(Schema):
    key: str = Field(..., pattern=r"^[a-z0-9-]{1,60}$")
    title: str = Title
    summary: str = Text
    content: str = Field("", max_length=100000)
    quiz: list[QuizQuestion] = []
    pass_mark: int = Field(80, ge=0, le=100)
    validity_months: int = Field(12, ge=0, le=120)
    roles: list[str] = []


class CoursePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=10000)
    content: str | None = Field(None, max_length=100000)
    quiz: list[QuizQuestion] | None = None
    pass_mark: int | None = Field(None, ge=0, le=100)
    validity_months: int | None = Field(None, ge=0, le=120)
    roles: list[str] | None = None
    is_active: bool | None = None


class CourseOut(Schema):
    id: uuid.UUID
    key: str
    title: str
    summary: str
    roles: list[str]
    pass_mark: int
    validity_months: int
    is_active: bool
    question_count: int

    @staticmethod
    def resolve_question_count(obj: object) -> int:
        return len(obj.quiz or [])  # type: ignore[attr-defined]


class QuizQuestionOut(Schema):
    question: str
    options: list[str]


class CourseDetailOut(CourseOut):
    content: str
    questions: list[QuizQuestionOut]

    @staticmethod
    def resolve_questions(obj: object) -> list[dict[str, Any]]:
        return [{"question": q["question"], "options": q["options"]} for q in obj.quiz]  # type: ignore[attr-defined]


class CoursePage(PageMeta):
    items: list[CourseOut]


class QuizIn(Schema):
    answers: list[int | None]


class RecordIn(Schema):
    user_email: str
    completed_on: dt.date
    score: int | None = Field(None, ge=0, le=100)
    passed: bool = True
    source: TrainingSource = TrainingSource.MANUAL
    note: str = Field("", max_length=300)


class RecordOut(Schema):
    id: uuid.UUID
    course_id: uuid.UUID
    course_title: str
    user: UserRef
    completed_on: dt.date
    score: int | None
    passed: bool
    expires_on: dt.date | None
    source: TrainingSource

    @staticmethod
    def resolve_course_title(obj: object) -> str:
        return obj.course.title  # type: ignore[attr-defined, no-any-return]


class RecordQuery(ListQuery):
    course: uuid.UUID | None = None
    user: str | None = None
    passed: bool | None = None


class RecordPage(PageMeta):
    items: list[RecordOut]


class GapOut(Schema):
    course_id: uuid.UUID
    course_title: str
    state: str


class PersonGapsOut(Schema):
    user: UserRef
    role: str
    gaps: list[GapOut]
    policies_acknowledged: int
    policies_to_acknowledge: int


class RoleGapsOut(Schema):
    role: str
    members: int
    with_gaps: int
    gaps: int


class GapsOut(Schema):
    people: list[PersonGapsOut]
    roles: list[RoleGapsOut]


# Notifications -----------------------------------------------------------------------------------


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
