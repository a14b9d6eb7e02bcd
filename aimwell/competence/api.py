"""REST API of courses, quizzes and training records (under /api/v1/, tagged "operations" as before
the split)."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Query, Router, Status

from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.competence import querysets
from aimwell.competence import services as training
from aimwell.competence.models import Course, TrainingRecord
from aimwell.competence.schemas import (
    CourseDetailOut,
    CourseIn,
    CoursePage,
    CoursePatch,
    GapsOut,
    QuizIn,
    RecordIn,
    RecordOut,
    RecordPage,
    RecordQuery,
)
from aimwell.operations.lists import filtered, page_of
from aimwell.operations.rest import (
    get_object,
    list_of,
    membership,
    page_dict,
    params,
)
from aimwell.operations.schemas import ListQuery

router = Router(tags=["operations"])


@router.get("/trainings", response=CoursePage, summary="Training courses")
def list_courses(request: AimwellRequest, query: Query[ListQuery]) -> dict[str, Any]:
    return list_of(querysets.COURSES, request, query, capability=Capability.READ_PUBLISHED)


@router.post("/trainings", response={201: CourseDetailOut}, summary="Write a training course")
def create_course(request: AimwellRequest, payload: CourseIn) -> Status[Course]:
    m = membership(request, Capability.MANAGE_AIMS)
    values = payload.model_dump()
    course = training.create_course(m.organisation, actor=request.user, **values)
    return Status(201, course)


@router.get(
    "/trainings/{course_id}",
    response=CourseDetailOut,
    summary="A course, its content and its quiz questions (without the answers)",
)
def get_course(request: AimwellRequest, course_id: uuid.UUID) -> Course:
    found: Course = get_object(
        request, Course.objects.all(), course_id, capability=Capability.READ_PUBLISHED
    )
    return found


@router.patch("/trainings/{course_id}", response=CourseDetailOut, summary="Change a course")
def update_course(request: AimwellRequest, course_id: uuid.UUID, payload: CoursePatch) -> Course:
    membership(request, Capability.MANAGE_AIMS)
    course = get_object(request, Course.objects.all(), course_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    training.update_course(course, actor=request.user, **changes)
    return course  # type: ignore[no-any-return]


@router.post(
    "/trainings/{course_id}/quiz",
    response={201: RecordOut},
    summary="Submit my answers to a course's quiz",
)
def take_quiz(request: AimwellRequest, course_id: uuid.UUID, payload: QuizIn) -> Status[Any]:
    membership(request, Capability.ACKNOWLEDGE)
    course = get_object(request, Course.objects.all(), course_id, capability=Capability.ACKNOWLEDGE)
    record = training.submit_quiz(course, request.user, payload.answers)
    return Status(201, record)


@router.post(
    "/trainings/{course_id}/records",
    response={201: RecordOut},
    summary="Record training a member completed elsewhere",
)
def record_training(
    request: AimwellRequest, course_id: uuid.UUID, payload: RecordIn
) -> Status[Any]:
    membership(request, Capability.MANAGE_AIMS)
    course = get_object(request, Course.objects.all(), course_id, write=True)
    values = payload.model_dump()
    user = member_user(course.organisation, values.pop("user_email"))
    record = training.record_training(course, user, actor=request.user, **values)
    return Status(201, record)


@router.get(
    "/training-records",
    response=RecordPage,
    summary="Training records (everyone's for readers, one's own otherwise)",
)
def list_records(request: AimwellRequest, query: Query[RecordQuery]) -> dict[str, Any]:
    m = membership(request, Capability.ACKNOWLEDGE)
    base = TrainingRecord.objects.all()
    if not can(m, Capability.READ_ALL):
        base = base.filter(user_id=request.user.pk)
    rows = filtered(querysets.RECORDS, m.organisation, params(query), base=base)
    return page_dict(page_of(rows, query.page, query.page_size))


@router.get("/training-gaps", response=GapsOut, summary="Training gaps per person and per role")
def training_gaps(request: AimwellRequest) -> dict[str, Any]:
    m = membership(request)
    matrix = querysets.training_matrix(m.organisation)
    return {
        "people": [
            {
                "user": row.membership.user,
                "role": row.membership.role,
                "gaps": [
                    {"course_id": g.course.pk, "course_title": g.course.title, "state": g.state}
                    for g in row.gaps
                ],
                "policies_acknowledged": row.acknowledged,
                "policies_to_acknowledge": row.to_acknowledge,
            }
            for row in matrix["rows"]
        ],
        "roles": list(matrix["by_role"].values()),
    }
