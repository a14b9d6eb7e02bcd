"""REST endpoints of management reviews, incidents, concerns, objectives, training and the
member's notifications."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Query, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user
from aimwell.accounts.lookups import member_user
from aimwell.accounts.roles import Capability, can
from aimwell.context.models import Objective as BusinessObjective
from aimwell.operations import querysets
from aimwell.operations.api_support import (
    guard,
    membership,
    node_by_urn,
    page_dict,
    params,
    router,
    system_by_id,
    systems_by_id,
)
from aimwell.operations.models import (
    Action,
    AIObjective,
    Concern,
    Course,
    Incident,
    ManagementReview,
    Nonconformity,
    Notification,
    TrainingRecord,
)
from aimwell.operations.schemas import ActionIn, ActionOut, ListQuery, NonconformityDetailOut
from aimwell.operations.schemas_more import (
    AuthorityReportIn,
    CodeIn,
    ConcernIn,
    ConcernOut,
    ConcernPage,
    ConcernQuery,
    ConcernReceipt,
    ConcernStatusOut,
    CourseDetailOut,
    CourseIn,
    CoursePage,
    CoursePatch,
    GapsOut,
    HoldIn,
    IncidentDetailOut,
    IncidentIn,
    IncidentPage,
    IncidentPatch,
    IncidentQuery,
    MeasurementIn,
    MeasurementOut,
    NotificationOut,
    NotificationPage,
    NotificationQuery,
    ObjectiveDetailOut,
    ObjectiveIn,
    ObjectivePage,
    ObjectivePatch,
    ObjectiveQuery,
    QuizIn,
    RaiseNCIn,
    RecordIn,
    RecordOut,
    RecordPage,
    RecordQuery,
    ReviewDetailOut,
    ReviewIn,
    ReviewPage,
    ReviewPatch,
    ReviewQuery,
    TriageIn,
)
from aimwell.operations.services import improvement, incidents, objectives, reviews, training
from aimwell.operations.services.notifications import mark_read


def _get(request: HttpRequest, qs: Any, pk: Any, **kw: Any) -> Any:
    obj, _ = get_for_user(
        request.user,
        qs,
        pk,
        organisation=request.organisation,  # type: ignore[attr-defined]
        **kw,
    )
    return obj


def _list(key: str, request: HttpRequest, query: Any, **kw: Any) -> dict[str, Any]:
    m = membership(request, kw.pop("capability", Capability.READ_ALL))
    rows = guard(lambda: querysets.filtered(key, m.organisation, params(query), **kw))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


# Management reviews ------------------------------------------------------------------------------


def _review(review: ManagementReview) -> ManagementReview:
    return (
        ManagementReview.objects.select_related("chair")
        .prefetch_related(Prefetch("actions", Action.objects.select_related("owner")))
        .get(pk=review.pk)
    )


def _review_for_write(request: HttpRequest, review_id: uuid.UUID) -> ManagementReview:
    membership(request, Capability.MANAGE_AIMS)
    return _get(request, ManagementReview.objects.all(), review_id, write=True)  # type: ignore[no-any-return]


@router.get("/management-reviews", response=ReviewPage, summary="Management reviews")
def list_reviews(request: HttpRequest, query: Query[ReviewQuery]) -> dict[str, Any]:
    return _list("reviews", request, query)


@router.post(
    "/management-reviews", response={201: ReviewDetailOut}, summary="Plan a management review"
)
def plan_review(request: HttpRequest, payload: ReviewIn) -> Status[ManagementReview]:
    m = membership(request, Capability.MANAGE_AIMS)
    review = guard(
        lambda: reviews.plan_review(
            m.organisation,
            actor=request.user,
            title=payload.title,
            planned_on=payload.planned_on,
            chair=member_user(m.organisation, payload.chair_email),
            attendees=payload.attendees,
        )
    )
    return Status(201, _review(review))


@router.get(
    "/management-reviews/{review_id}", response=ReviewDetailOut, summary="A management review"
)
def get_review(request: HttpRequest, review_id: uuid.UUID) -> ManagementReview:
    return _review(_get(request, ManagementReview.objects.all(), review_id))


@router.patch(
    "/management-reviews/{review_id}",
    response=ReviewDetailOut,
    summary="Change a management review",
)
def update_review(
    request: HttpRequest, review_id: uuid.UUID, payload: ReviewPatch
) -> ManagementReview:
    review = _review_for_write(request, review_id)
    changes = payload.model_dump(exclude_unset=True)
    if "chair_email" in changes:
        changes["chair"] = member_user(review.organisation, changes.pop("chair_email"))
    guard(lambda: reviews.update_review(review, actor=request.user, **changes))
    return _review(review)


@router.post(
    "/management-reviews/{review_id}/inputs",
    response=ReviewDetailOut,
    summary="Gather the review's inputs from the data",
)
def gather_inputs(request: HttpRequest, review_id: uuid.UUID) -> ManagementReview:
    review = _review_for_write(request, review_id)
    guard(lambda: reviews.gather_inputs(review, actor=request.user))
    return _review(review)


@router.post(
    "/management-reviews/{review_id}/hold",
    response=ReviewDetailOut,
    summary="Record that the review was held, with its conclusions",
)
def hold_review(request: HttpRequest, review_id: uuid.UUID, payload: HoldIn) -> ManagementReview:
    review = _review_for_write(request, review_id)
    guard(lambda: reviews.hold_review(review, actor=request.user, **payload.model_dump()))
    return _review(review)


@router.post(
    "/management-reviews/{review_id}/actions",
    response={201: ActionOut},
    summary="Turn a decision into a tracked action",
)
def add_review_action(
    request: HttpRequest, review_id: uuid.UUID, payload: ActionIn
) -> Status[Action]:
    review = _review_for_write(request, review_id)
    action = guard(
        lambda: improvement.add_review_action(
            review,
            actor=request.user,
            title=payload.title,
            description=payload.description,
            owner=member_user(review.organisation, payload.owner_email),
            due_date=payload.due_date,
        )
    )
    return Status(201, action)


# Incidents ---------------------------------------------------------------------------------------


def _incident(incident: Incident) -> Incident:
    return Incident.objects.select_related("owner").prefetch_related("systems").get(pk=incident.pk)


def _incident_for_write(request: HttpRequest, incident_id: uuid.UUID) -> Incident:
    return _get(request, Incident.objects.all(), incident_id, write=True)  # type: ignore[no-any-return]


@router.get("/incidents", response=IncidentPage, summary="AI incidents (filter, paginate)")
def list_incidents(request: HttpRequest, query: Query[IncidentQuery]) -> dict[str, Any]:
    return _list("incidents", request, query)


@router.post("/incidents", response={201: IncidentDetailOut}, summary="Record an AI incident")
def record_incident(request: HttpRequest, payload: IncidentIn) -> Status[Incident]:
    m = membership(request, Capability.CONTRIBUTE)
    org = m.organisation
    values = payload.model_dump()
    values["systems"] = systems_by_id(org, values.pop("system_ids"))
    email = values.pop("owner_email")
    values["owner"] = member_user(org, email) if email else request.user
    values["serious_kind"] = values["serious_kind"] or ""
    incident = guard(lambda: incidents.record_incident(org, actor=request.user, **values))
    return Status(201, _incident(incident))


@router.get("/incidents/{incident_id}", response=IncidentDetailOut, summary="An AI incident")
def get_incident(request: HttpRequest, incident_id: uuid.UUID) -> Incident:
    return _incident(_get(request, Incident.objects.all(), incident_id))


@router.patch(
    "/incidents/{incident_id}", response=IncidentDetailOut, summary="Change an AI incident"
)
def update_incident(
    request: HttpRequest, incident_id: uuid.UUID, payload: IncidentPatch
) -> Incident:
    incident = _incident_for_write(request, incident_id)
    org = incident.organisation
    changes = payload.model_dump(exclude_unset=True)
    ids = changes.pop("system_ids", None)
    if "owner_email" in changes:
        changes["owner"] = member_user(org, changes.pop("owner_email"))
    if "serious_kind" in changes:
        changes["serious_kind"] = changes["serious_kind"] or ""
    guard(lambda: incidents.update_incident(incident, actor=request.user, **changes))
    if ids is not None:
        from aimwell.operations.services.base import set_related

        set_related(
            incident,
            "systems",
            systems_by_id(org, ids),
            actor=request.user,
            action="incident.systems_changed",
        )
    return _incident(incident)


@router.post(
    "/incidents/{incident_id}/authority-report",
    response=IncidentDetailOut,
    summary="Record the report of a serious incident to the market surveillance authority",
)
def authority_report(
    request: HttpRequest, incident_id: uuid.UUID, payload: AuthorityReportIn
) -> Incident:
    incident = _incident_for_write(request, incident_id)
    guard(
        lambda: incidents.record_authority_report(
            incident, actor=request.user, **payload.model_dump()
        )
    )
    return _incident(incident)


@router.post(
    "/incidents/{incident_id}/nonconformity",
    response={201: NonconformityDetailOut},
    summary="Open a nonconformity from an incident",
)
def incident_nonconformity(
    request: HttpRequest, incident_id: uuid.UUID, payload: RaiseNCIn
) -> Status[Nonconformity]:
    incident = _incident_for_write(request, incident_id)
    nc = guard(
        lambda: incidents.open_nonconformity_for_incident(
            incident,
            actor=request.user,
            title=payload.title,
            owner=member_user(incident.organisation, payload.owner_email),
            due_date=payload.due_date,
        )
    )
    return Status(201, _nc(nc))


def _nc(nc: Nonconformity) -> Nonconformity:
    return (
        Nonconformity.objects.select_related("owner", "requirement", "verified_by")
        .prefetch_related("systems", Prefetch("actions", Action.objects.select_related("owner")))
        .get(pk=nc.pk)
    )


# Concerns ----------------------------------------------------------------------------------------


def _handler(request: HttpRequest) -> Any:
    return membership(request, Capability.MANAGE_AIMS)


def _concern(request: HttpRequest, concern_id: uuid.UUID) -> Concern:
    _handler(request)
    return _get(
        request, Concern.objects.select_related("system", "handler", "reporter"), concern_id
    )  # type: ignore[no-any-return]


@router.post(
    "/concerns",
    response={201: ConcernReceipt},
    summary="Report a concern about an AI system, optionally anonymously",
)
def report_concern(request: HttpRequest, payload: ConcernIn) -> Status[dict[str, Any]]:
    m = membership(request, Capability.REPORT_CONCERN)
    concern, code = guard(
        lambda: incidents.report_concern(
            m.organisation,
            reporter=request.user,
            category=payload.category,
            description=payload.description,
            system=system_by_id(m.organisation, payload.system_id),
            anonymous=payload.anonymous,
        )
    )
    return Status(201, {"id": concern.pk, "reference": concern.reference, "follow_up_code": code})


@router.get("/concerns", response=ConcernPage, summary="Concerns to triage (handlers only)")
def list_concerns(request: HttpRequest, query: Query[ConcernQuery]) -> dict[str, Any]:
    return _list("concerns", request, query, capability=Capability.MANAGE_AIMS)


@router.get(
    "/concerns/mine", response=list[ConcernStatusOut], summary="Concerns I reported by name"
)
def my_concerns(request: HttpRequest) -> list[Concern]:
    m = membership(request, Capability.REPORT_CONCERN)
    return list(
        Concern.objects.filter(organisation=m.organisation, reporter_id=request.user.pk).order_by(
            "-received_on", "-reference"
        )
    )


@router.post(
    "/concerns/status",
    response=ConcernStatusOut,
    summary="Follow a concern with its follow-up code (works for anonymous concerns)",
)
def concern_status(request: HttpRequest, payload: CodeIn) -> Concern:
    m = membership(request, Capability.REPORT_CONCERN)
    concern = incidents.concern_by_code(m.organisation, payload.code)
    if concern is None:
        raise Http404("No concern with that code.")
    return concern


@router.get("/concerns/{concern_id}", response=ConcernOut, summary="A concern (handlers only)")
def get_concern(request: HttpRequest, concern_id: uuid.UUID) -> Concern:
    return _concern(request, concern_id)


@router.post(
    "/concerns/{concern_id}/triage", response=ConcernOut, summary="Triage or close a concern"
)
def triage_concern(request: HttpRequest, concern_id: uuid.UUID, payload: TriageIn) -> Concern:
    concern = _concern(request, concern_id)
    values = payload.model_dump()
    values["handler"] = member_user(concern.organisation, values.pop("handler_email"))
    guard(lambda: incidents.triage_concern(concern, actor=request.user, **values))
    return concern


# Objectives --------------------------------------------------------------------------------------


def _objective(objective: AIObjective) -> AIObjective:
    return (
        AIObjective.objects.select_related("owner", "annex_c")
        .prefetch_related("systems", "measurements")
        .get(pk=objective.pk)
    )


def _objective_values(org: Any, values: dict[str, Any]) -> dict[str, Any]:
    if "owner_email" in values:
        values["owner"] = member_user(org, values.pop("owner_email"))
    if "annex_c_urn" in values:
        values["annex_c"] = node_by_urn(values.pop("annex_c_urn"), kind=["objective"])
    if "business_objective_id" in values:
        pk = values.pop("business_objective_id")
        values["business_objective"] = None
        if pk is not None:
            values["business_objective"] = BusinessObjective.objects.filter(
                organisation=org, pk=pk
            ).first()
            if values["business_objective"] is None:
                raise HttpError(400, "No such business objective in this organisation.")
    if "system_ids" in values:
        ids = values.pop("system_ids")
        values["systems"] = systems_by_id(org, ids) if ids is not None else None
    return values


@router.get("/ai-objectives", response=ObjectivePage, summary="AI objectives (filter, paginate)")
def list_objectives(request: HttpRequest, query: Query[ObjectiveQuery]) -> dict[str, Any]:
    return _list("objectives", request, query)


@router.post("/ai-objectives", response={201: ObjectiveDetailOut}, summary="Set an AI objective")
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Status[AIObjective]:
    m = membership(request, Capability.MANAGE_AIMS)
    values = _objective_values(m.organisation, payload.model_dump())
    objective = guard(
        lambda: objectives.create_objective(m.organisation, actor=request.user, **values)
    )
    return Status(201, _objective(objective))


@router.get("/ai-objectives/{objective_id}", response=ObjectiveDetailOut, summary="An AI objective")
def get_objective(request: HttpRequest, objective_id: uuid.UUID) -> AIObjective:
    return _objective(_get(request, AIObjective.objects.all(), objective_id))


@router.patch(
    "/ai-objectives/{objective_id}", response=ObjectiveDetailOut, summary="Change an AI objective"
)
def update_objective(
    request: HttpRequest, objective_id: uuid.UUID, payload: ObjectivePatch
) -> AIObjective:
    objective = _get(request, AIObjective.objects.all(), objective_id, write=True)
    values = _objective_values(objective.organisation, payload.model_dump(exclude_unset=True))
    guard(lambda: objectives.update_objective(objective, actor=request.user, **values))
    return _objective(objective)


@router.post(
    "/ai-objectives/{objective_id}/measurements",
    response={201: MeasurementOut},
    summary="Record progress: a measurement by hand or a monitoring result",
)
def record_measurement(
    request: HttpRequest, objective_id: uuid.UUID, payload: MeasurementIn
) -> Status[Any]:
    objective = _get(request, AIObjective.objects.all(), objective_id, write=True)
    measurement = guard(
        lambda: objectives.record_measurement(objective, actor=request.user, **payload.model_dump())
    )
    return Status(201, measurement)


# Training ----------------------------------------------------------------------------------------


@router.get("/trainings", response=CoursePage, summary="Training courses")
def list_courses(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    return _list("courses", request, query, capability=Capability.READ_PUBLISHED)


@router.post("/trainings", response={201: CourseDetailOut}, summary="Write a training course")
def create_course(request: HttpRequest, payload: CourseIn) -> Status[Course]:
    m = membership(request, Capability.MANAGE_AIMS)
    values = payload.model_dump()
    course = guard(lambda: training.create_course(m.organisation, actor=request.user, **values))
    return Status(201, course)


@router.get(
    "/trainings/{course_id}",
    response=CourseDetailOut,
    summary="A course, its content and its quiz questions (without the answers)",
)
def get_course(request: HttpRequest, course_id: uuid.UUID) -> Course:
    return _get(request, Course.objects.all(), course_id, capability=Capability.READ_PUBLISHED)  # type: ignore[no-any-return]


@router.patch("/trainings/{course_id}", response=CourseDetailOut, summary="Change a course")
def update_course(request: HttpRequest, course_id: uuid.UUID, payload: CoursePatch) -> Course:
    membership(request, Capability.MANAGE_AIMS)
    course = _get(request, Course.objects.all(), course_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    guard(lambda: training.update_course(course, actor=request.user, **changes))
    return course  # type: ignore[no-any-return]


@router.post(
    "/trainings/{course_id}/quiz",
    response={201: RecordOut},
    summary="Submit my answers to a course's quiz",
)
def take_quiz(request: HttpRequest, course_id: uuid.UUID, payload: QuizIn) -> Status[Any]:
    membership(request, Capability.ACKNOWLEDGE)
    course = _get(request, Course.objects.all(), course_id, capability=Capability.ACKNOWLEDGE)
    record = guard(lambda: training.submit_quiz(course, request.user, payload.answers))
    return Status(201, record)


@router.post(
    "/trainings/{course_id}/records",
    response={201: RecordOut},
    summary="Record training a member completed elsewhere",
)
def record_training(request: HttpRequest, course_id: uuid.UUID, payload: RecordIn) -> Status[Any]:
    membership(request, Capability.MANAGE_AIMS)
    course = _get(request, Course.objects.all(), course_id, write=True)
    values = payload.model_dump()
    user = member_user(course.organisation, values.pop("user_email"))
    record = guard(lambda: training.record_training(course, user, actor=request.user, **values))
    return Status(201, record)


@router.get(
    "/training-records",
    response=RecordPage,
    summary="Training records (everyone's for readers, one's own otherwise)",
)
def list_records(request: HttpRequest, query: Query[RecordQuery]) -> dict[str, Any]:
    m = membership(request, Capability.ACKNOWLEDGE)
    base = TrainingRecord.objects.all()
    if not can(m, Capability.READ_ALL):
        base = base.filter(user_id=request.user.pk)
    rows = guard(lambda: querysets.filtered("records", m.organisation, params(query), base=base))
    return page_dict(querysets.page_of(rows, query.page, query.page_size))


@router.get("/training-gaps", response=GapsOut, summary="Training gaps per person and per role")
def training_gaps(request: HttpRequest) -> dict[str, Any]:
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


# Notifications -----------------------------------------------------------------------------------


@router.get("/notifications", response=NotificationPage, summary="My notifications")
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> dict[str, Any]:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    rows = querysets.notifications_for(request.user, m.organisation)
    unread = rows.filter(read_at__isnull=True).count()
    if query.unread is not None:
        rows = rows.filter(read_at__isnull=query.unread)
    return page_dict(querysets.page_of(rows, query.page, query.page_size), unread=unread)


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one of my notifications read",
)
def read_notification(request: HttpRequest, notification_id: uuid.UUID) -> Notification:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    notification = (
        Notification.objects.visible_to(request.user, m.organisation)
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        raise Http404("Not found.")
    return mark_read(notification)
