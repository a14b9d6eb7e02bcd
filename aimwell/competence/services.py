"""Competence and training (7.2, 7.3): the course library, quizzes, training records with
expiry, and required competences per role."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.accounts.roles import Role
from aimwell.competence.choices import TrainingSource
from aimwell.competence.course_library import COMPETENCES, COURSES
from aimwell.competence.models import Competence, Course, TrainingRecord
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.operations.errors import OperationsError
from aimwell.operations.writes import apply_changes, member_of, save_new

COURSE_EDITABLE = Course.AUDIT_FIELDS
RECORD_FIELDS = ("course", "user", "completed_on", "score", "passed", "expires_on", "source")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _check_quiz(quiz: Any) -> None:
    if not isinstance(quiz, list):
        raise OperationsError("The quiz is a list of questions.", field="quiz")
    for index, q in enumerate(quiz, 1):
        options = q.get("options") if isinstance(q, dict) else None
        if (
            not isinstance(q, dict)
            or not str(q.get("question", "")).strip()
            or not isinstance(options, list)
            or len(options) < 2
            or not isinstance(q.get("answer"), int)
            or not 0 <= q["answer"] < len(options)
        ):
            raise OperationsError(
                f"Question {index} needs a question, two or more options and the index of the "
                "right answer.",
                field="quiz",
            )


def _check_roles(roles: Sequence[str]) -> list[str]:
    valid = {r.value for r in Role}
    bad = [r for r in roles if r not in valid]
    if bad:
        raise OperationsError(f"Unknown role(s): {', '.join(bad)}.", field="roles")
    return sorted(set(roles))


@transaction.atomic
def create_course(organisation: Any, *, actor: Any, key: str, title: str, **values: Any) -> Course:
    unknown = set(values) - set(COURSE_EDITABLE)
    if unknown:
        raise TypeError(f"Not course fields: {sorted(unknown)}")
    _check_quiz(values.get("quiz", []))
    if "roles" in values:
        values["roles"] = _check_roles(values["roles"])
    course = Course(organisation=organisation, key=key, title=title, **values)
    save_new(course, actor=actor, action="course.created", extra=("key",))
    return course


@transaction.atomic
def update_course(course: Course, *, actor: Any, **changes: Any) -> Course:
    # null is left to apply_changes, which refuses it for a field that cannot be empty
    if changes.get("quiz") is not None:
        _check_quiz(changes["quiz"])
    if changes.get("roles") is not None:
        changes["roles"] = _check_roles(changes["roles"])
    apply_changes(course, actor=actor, action="course.updated", allowed=COURSE_EDITABLE, **changes)
    return course


@transaction.atomic
def install_library(organisation: Any, *, actor: Any) -> list[str]:
    """Add the built-in courses and role competences the organisation does not have yet."""
    created: list[str] = []
    have = set(Course.objects.filter(organisation=organisation).values_list("key", flat=True))
    for spec in COURSES:
        if spec["key"] in have:
            continue
        values = {k: v for k, v in spec.items() if k not in ("key", "title")}
        create_course(organisation, actor=actor, key=spec["key"], title=spec["title"], **values)
        created.append(f"course {spec['title']}")
    courses = {c.key: c for c in Course.objects.filter(organisation=organisation)}
    existing = set(Competence.objects.filter(organisation=organisation).values_list("role", "name"))
    for role, name, course_key in COMPETENCES:
        if (role, name) in existing:
            continue
        competence = Competence(
            organisation=organisation, role=role, name=name, course=courses.get(course_key)
        )
        save_new(competence, actor=actor, action="competence.created")
        created.append(f"competence {name} ({role})")
    return created


@transaction.atomic
def create_competence(
    organisation: Any,
    *,
    actor: Any,
    role: str,
    name: str,
    description: str = "",
    course: Course | None = None,
) -> Competence:
    _check_roles([role])
    if course is not None and course.organisation_id != organisation.pk:
        raise OperationsError("That course belongs to another organisation.", field="course")
    competence = Competence(
        organisation=organisation, role=role, name=name, description=description, course=course
    )
    save_new(competence, actor=actor, action="competence.created")
    return competence


def _record(
    course: Course,
    user: Any,
    *,
    actor: Any,
    completed_on: dt.date,
    score: int | None,
    passed: bool,
    source: str,
    note: str = "",
) -> TrainingRecord:
    if member_of(course.organisation, user) is None:
        raise OperationsError("That person is not a member of this organisation.", field="user")
    record = TrainingRecord.objects.create(
        organisation_id=course.organisation_id,
        course=course,
        user=user,
        completed_on=completed_on,
        score=score,
        passed=passed,
        expires_on=add_months(completed_on, course.validity_months)
        if passed and course.validity_months
        else None,
        source=source,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_for(
        record,
        actor=actor,
        action="training.recorded",
        changes=diff({}, snapshot(record, RECORD_FIELDS)),
    )
    return record


@transaction.atomic
def submit_quiz(
    course: Course, user: Any, answers: Sequence[int | None], *, on: dt.date | None = None
) -> TrainingRecord:
    """Score a member's answers; a pass records the training with its expiry date."""
    if not course.is_active:
        raise OperationsError("This course is retired.")
    if not course.quiz:
        raise OperationsError("This course has no quiz; a manager records its completion.")
    if len(answers) != len(course.quiz):
        raise OperationsError("Answer every question.", field="answers")
    right = sum(1 for q, a in zip(course.quiz, answers, strict=True) if a == q["answer"])
    score = round(100 * right / len(course.quiz))
    return _record(
        course,
        user,
        actor=user,
        completed_on=on or timezone.localdate(),
        score=score,
        passed=score >= course.pass_mark,
        source=TrainingSource.QUIZ,
    )


@transaction.atomic
def record_training(
    course: Course,
    user: Any,
    *,
    actor: Any,
    completed_on: dt.date,
    score: int | None = None,
    passed: bool = True,
    source: str = TrainingSource.MANUAL,
    note: str = "",
) -> TrainingRecord:
    """A manager records training done elsewhere (a workshop, an external certificate)."""
    if source not in TrainingSource.values:
        raise OperationsError(f"Unknown source {source!r}.", field="source")
    if score is not None and not 0 <= score <= 100:
        raise OperationsError("A score is a percentage.", field="score")
    return _record(
        course,
        user,
        actor=actor,
        completed_on=completed_on,
        score=score,
        passed=passed,
        source=source,
        note=note,
    )
