"""API schemas of courses, quizzes and training records: explicit inputs, patches, outputs and list
queries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.competence.choices import TrainingSource
from aimwell.operations.schemas import ListQuery, PageMeta, Text, Title, UserRef


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
