"""Queries of courses, quizzes and training records: the register lists and what the pages read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import ROLE_LABELS, Role
from aimwell.competence.models import Course, TrainingRecord
from aimwell.operations.lists import ListSpec

COURSES = ListSpec(
    Course,
    search=("title", "summary"),
    filters={"is_active": "is_active"},
    sorts={"title": ("title",)},
    default_sort="title",
    annotate={"record_count": Count("records")},
)


RECORDS = ListSpec(
    TrainingRecord,
    search=("course__title", "user__email", "user__full_name"),
    filters={"course": "course_id", "user": "user__email", "passed": "passed"},
    sorts={"completed": ("-completed_on", "-created_at"), "expires": ("expires_on",)},
    default_sort="completed",
    related=("course", "user"),
)


@dataclass
class CourseState:
    course: Course
    record: TrainingRecord | None
    state: str  # valid, expired, missing, failed


@dataclass
class PersonRow:
    membership: Membership
    courses: list[CourseState]
    acknowledged: int = 0
    to_acknowledge: int = 0

    @property
    def gaps(self) -> list[CourseState]:
        return [c for c in self.courses if c.state != "valid"]


def course_state(record: TrainingRecord | None, today: dt.date) -> str:
    """missing, failed, expired or valid: a member's standing on a course from their latest
    record of it."""
    if record is None:
        return "missing"
    if not record.passed:
        return "failed"
    return "valid" if record.is_valid(today) else "expired"


def courses_to_take(membership: Membership, on: dt.date | None = None) -> list[CourseState]:
    """The active courses the member's role requires that they have not passed, or whose pass
    has expired (two queries)."""
    today = on or timezone.localdate()
    latest: dict[Any, TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(
        organisation_id=membership.organisation_id, user_id=membership.user_id
    ).order_by("completed_on", "created_at"):
        latest[record.course_id] = record
    states = []
    for course in Course.objects.filter(organisation_id=membership.organisation_id, is_active=True):
        if course.required_for(membership.role):
            state = course_state(latest.get(course.pk), today)
            if state != "valid":
                states.append(CourseState(course, latest.get(course.pk), state))
    return states


def training_matrix(organisation: Any, on: dt.date | None = None) -> dict[str, Any]:
    """Each member's required courses and their state, their policy acknowledgements, and the
    gaps per role. A fixed number of queries whatever the number of members."""
    from aimwell.documents.models import Acknowledgement, DocumentVersion

    today = on or timezone.localdate()
    courses = list(Course.objects.filter(organisation=organisation, is_active=True))
    members = list(
        Membership.objects.active()
        .filter(organisation=organisation)
        .exclude(role=Role.EXTERNAL_AUDITOR)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    latest: dict[tuple[Any, Any], TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(organisation=organisation).order_by(
        "completed_on", "created_at"
    ):
        latest[(record.user_id, record.course_id)] = record
    published = list(
        DocumentVersion.objects.filter(
            organisation=organisation, status="published", document__is_retired=False
        ).values_list("pk", "document__acknowledgement_roles")
    )
    acks = set(
        Acknowledgement.objects.filter(organisation=organisation).values_list(
            "user_id", "version_id"
        )
    )
    rows: list[PersonRow] = []
    for m in members:
        states = []
        for course in courses:
            if not course.required_for(m.role):
                continue
            record = latest.get((m.user_id, course.pk))
            states.append(CourseState(course, record, course_state(record, today)))
        due_versions = [pk for pk, roles in published if m.role in (roles or [])]
        done = sum(1 for pk in due_versions if (m.user_id, pk) in acks)
        rows.append(PersonRow(m, states, acknowledged=done, to_acknowledge=len(due_versions)))
    by_role: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = by_role.setdefault(
            row.membership.role,
            {
                "role": ROLE_LABELS[Role(row.membership.role)],
                "members": 0,
                "with_gaps": 0,
                "gaps": 0,
            },
        )
        entry["members"] += 1
        entry["gaps"] += len(row.gaps)
        entry["with_gaps"] += 1 if row.gaps else 0
    completion = []
    for course in courses:
        held = [s.state for row in rows for s in row.courses if s.course.pk == course.pk]
        if held:
            valid = held.count("valid")
            completion.append(
                {
                    "course": course,
                    "required": len(held),
                    "valid": valid,
                    "percent": round(100 * valid / len(held)),
                }
            )
    return {
        "rows": rows,
        "by_role": by_role,
        "courses": courses,
        "today": today,
        "completion": completion,
    }
