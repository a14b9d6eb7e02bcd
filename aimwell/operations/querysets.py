"""Read-side queries shared by the pages and the API: filtered, sorted, paginated lists whose
query count does not grow with their length, the overview, and the training matrix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.accounts.roles import ROLE_LABELS, Role
from aimwell.operations.choices import (
    ActionStatus,
    AuditStatus,
    ConcernStatus,
    IncidentStatus,
    NCStatus,
    ObjectiveStatus,
    ReviewStatus,
)
from aimwell.operations.errors import OperationsError
from aimwell.operations.models import (
    Action,
    AIObjective,
    Audit,
    AuditProgramme,
    Concern,
    Course,
    Finding,
    Incident,
    ManagementReview,
    Nonconformity,
    Notification,
    TrainingRecord,
)

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class ListSpec:
    model: type[models.Model]
    search: tuple[str, ...]
    filters: Mapping[str, str]  # query parameter -> lookup
    sorts: Mapping[str, tuple[str, ...]]
    default_sort: str
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    annotate: Mapping[str, Any] = field(default_factory=dict)
    # flag parameter -> (Q when true, callable of today)
    overdue: str | None = None


def _open_overdue_nc(today: dt.date) -> Q:
    return ~Q(status=NCStatus.CLOSED) & Q(due_date__lt=today)


LISTS: dict[str, ListSpec] = {
    "programmes": ListSpec(
        AuditProgramme,
        search=("title", "objectives"),
        filters={},
        sorts={"start": ("-cycle_start",), "title": ("title",)},
        default_sort="start",
        related=("owner",),
        annotate={"audit_count": Count("audits")},
    ),
    "audits": ListSpec(
        Audit,
        search=("reference", "title", "scope"),
        filters={"status": "status", "programme": "programme_id", "auditor": "lead_auditor__email"},
        sorts={
            "start": ("-planned_start", "reference"),
            "-start": ("planned_start", "reference"),
            "reference": ("reference",),
            "status": ("status", "reference"),
        },
        default_sort="start",
        related=("lead_auditor", "programme"),
        annotate={"finding_count": Count("findings", distinct=True)},
    ),
    "findings": ListSpec(
        Finding,
        search=("reference", "title", "description"),
        filters={"kind": "kind", "audit": "audit_id"},
        sorts={"reference": ("reference",), "kind": ("kind", "reference")},
        default_sort="reference",
        related=("audit", "requirement", "system", "nonconformity"),
    ),
    "nonconformities": ListSpec(
        Nonconformity,
        search=("reference", "title", "description"),
        filters={
            "status": "status",
            "source": "source",
            "severity": "severity",
            "owner": "owner__email",
        },
        sorts={
            "raised": ("-raised_on", "-reference"),
            "due": ("due_date", "reference"),
            "reference": ("reference",),
            "status": ("status", "reference"),
        },
        default_sort="raised",
        related=("owner", "requirement"),
        annotate={
            "open_actions": Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
            "action_count": Count("actions"),
        },
        overdue="nc",
    ),
    "actions": ListSpec(
        Action,
        search=("title", "description"),
        filters={"status": "status", "owner": "owner__email"},
        sorts={"due": ("due_date", "title"), "title": ("title",), "-due": ("-due_date", "title")},
        default_sort="due",
        related=("owner", "nonconformity", "review"),
        overdue="action",
    ),
    "reviews": ListSpec(
        ManagementReview,
        search=("title", "minutes", "decisions"),
        filters={"status": "status"},
        sorts={"planned": ("-planned_on",), "title": ("title",)},
        default_sort="planned",
        related=("chair",),
        annotate={"action_count": Count("actions")},
    ),
    "incidents": ListSpec(
        Incident,
        search=("reference", "title", "description", "harm"),
        filters={
            "status": "status",
            "severity": "severity",
            "is_serious": "is_serious",
            "system": "systems",
        },
        sorts={
            "detected": ("-detected_at",),
            "deadline": ("report_deadline", "reference"),
            "reference": ("reference",),
        },
        default_sort="detected",
        related=("owner",),
        prefetch=("systems",),
    ),
    "concerns": ListSpec(
        Concern,
        search=("reference", "description", "outcome"),
        filters={"status": "status", "category": "category", "system": "system_id"},
        sorts={"received": ("-received_on", "-reference"), "reference": ("reference",)},
        default_sort="received",
        related=("system", "handler", "reporter"),
    ),
    "objectives": ListSpec(
        AIObjective,
        search=("title", "description", "measure"),
        filters={"status": "status", "owner": "owner__email", "system": "systems"},
        sorts={"due": ("due_date", "title"), "title": ("title",), "status": ("status", "title")},
        default_sort="due",
        related=("owner", "annex_c", "business_objective"),
        prefetch=("systems",),
    ),
    "courses": ListSpec(
        Course,
        search=("title", "summary"),
        filters={"is_active": "is_active"},
        sorts={"title": ("title",)},
        default_sort="title",
        annotate={"record_count": Count("records")},
    ),
    "records": ListSpec(
        TrainingRecord,
        search=("course__title", "user__email", "user__full_name"),
        filters={"course": "course_id", "user": "user__email", "passed": "passed"},
        sorts={"completed": ("-completed_on", "-created_at"), "expires": ("expires_on",)},
        default_sort="completed",
        related=("course", "user"),
    ),
}


def _flag(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes", "on")


def filtered(
    key: str,
    organisation: Any,
    params: Mapping[str, Any],
    *,
    base: QuerySet[Any] | None = None,
    today: dt.date | None = None,
) -> QuerySet[Any]:
    """The organisation's rows of a register, searched, filtered and sorted by `params`."""
    spec = LISTS[key]
    qs = base if base is not None else spec.model.objects.all()  # type: ignore[attr-defined]
    qs = qs.filter(organisation=organisation)
    q = (params.get("q") or "").strip()
    if q:
        cond = Q()
        for name in spec.search:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    for param, lookup in spec.filters.items():
        value = params.get(param)
        if value in (None, ""):
            continue
        if param in ("is_serious", "is_active", "passed"):
            value = _flag(value)
        elif lookup.endswith("_id") or lookup == "systems":
            try:
                value = str(__import__("uuid").UUID(str(value)))
            except ValueError as exc:
                raise OperationsError(f"{param} is not a valid id.", field=param) from exc
        if lookup.endswith("email"):
            lookup += "__iexact"
        qs = qs.filter(**{lookup: value})
    today = today or timezone.localdate()
    if spec.overdue and _flag(params.get("overdue")):
        qs = qs.filter(
            _open_overdue_nc(today)
            if spec.overdue == "nc"
            else Q(status=ActionStatus.OPEN, due_date__lt=today)
        )
    if spec.related:
        qs = qs.select_related(*spec.related)
    if spec.annotate:
        qs = qs.annotate(**spec.annotate)
    if spec.prefetch:
        qs = qs.prefetch_related(*spec.prefetch)
    sort = params.get("sort") or spec.default_sort
    order = spec.sorts.get(sort, spec.sorts[spec.default_sort])
    return qs.order_by(*order, "pk")


def page_of(qs: QuerySet[Any], page: Any, page_size: int = 25) -> Page[Any]:
    size = max(1, min(int(page_size or 25), MAX_PAGE_SIZE))
    return Paginator(qs, size).get_page(page)


def notifications_for(user: Any, organisation: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk, organisation=organisation).order_by(
        "read_at", "-created_at"
    )


# Overview ----------------------------------------------------------------------------------------


@dataclass
class Deadline:
    kind: str
    label: str
    due: dt.date
    url: str
    owner: str

    @property
    def days(self) -> int:
        return (self.due - timezone.localdate()).days


def overview(organisation: Any, today: dt.date | None = None, horizon: int = 30) -> dict[str, Any]:
    """Counts of every register, what is overdue, and the deadlines of the next `horizon` days."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=horizon)
    org = organisation
    ncs = Nonconformity.objects.filter(organisation=org)
    actions = Action.objects.filter(organisation=org, status=ActionStatus.OPEN)
    counts = {
        "audits_planned": Audit.objects.filter(
            organisation=org, status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS]
        ).count(),
        "audits_reported": Audit.objects.filter(
            organisation=org, status=AuditStatus.REPORTED
        ).count(),
        "nc_open": ncs.exclude(status=NCStatus.CLOSED).count(),
        "nc_major_open": ncs.exclude(status=NCStatus.CLOSED).filter(severity="major").count(),
        "nc_verification": ncs.filter(status=NCStatus.VERIFICATION).count(),
        "actions_open": actions.count(),
        "actions_overdue": actions.filter(due_date__lt=today).count(),
        "incidents_open": Incident.objects.filter(organisation=org)
        .exclude(status=IncidentStatus.CLOSED)
        .count(),
        "concerns_open": Concern.objects.filter(organisation=org)
        .exclude(status=ConcernStatus.CLOSED)
        .count(),
        "objectives_at_risk": AIObjective.objects.filter(
            organisation=org, status__in=[ObjectiveStatus.AT_RISK, ObjectiveStatus.MISSED]
        ).count(),
        "objectives": AIObjective.objects.filter(organisation=org)
        .exclude(status=ObjectiveStatus.RETIRED)
        .count(),
        "reviews_held": ManagementReview.objects.filter(
            organisation=org, status=ReviewStatus.HELD
        ).count(),
    }
    deadlines: list[Deadline] = []

    def email(user: Any) -> str:
        return user.email if user else "—"

    for nc in (
        ncs.exclude(status=NCStatus.CLOSED).filter(due_date__lte=until).select_related("owner")
    ):
        deadlines.append(
            Deadline(
                "Nonconformity", str(nc), nc.due_date, _url("nonconformities", nc), email(nc.owner)
            )
        )
    for a in actions.filter(due_date__lte=until).select_related("owner"):
        deadlines.append(
            Deadline("Action", a.title, a.due_date, _url("actions", a), email(a.owner))
        )
    for i in Incident.objects.filter(
        organisation=org,
        is_serious=True,
        authority_reported_on__isnull=True,
        report_deadline__lte=until,
    ).select_related("owner"):
        deadlines.append(
            Deadline(
                "Serious incident report",
                str(i),
                i.report_deadline,
                _url("incidents", i),
                email(i.owner),
            )
        )
    for r in ManagementReview.objects.filter(
        organisation=org, status=ReviewStatus.PLANNED, planned_on__lte=until
    ).select_related("chair"):
        deadlines.append(
            Deadline("Management review", r.title, r.planned_on, _url("reviews", r), email(r.chair))
        )
    for au in Audit.objects.filter(
        organisation=org, status=AuditStatus.PLANNED, planned_start__lte=until
    ).select_related("lead_auditor"):
        deadlines.append(
            Deadline("Audit", str(au), au.planned_start, _url("audits", au), email(au.lead_auditor))
        )
    for o in AIObjective.objects.filter(
        organisation=org,
        due_date__lte=until,
        status__in=[ObjectiveStatus.NOT_STARTED, ObjectiveStatus.ON_TRACK, ObjectiveStatus.AT_RISK],
    ).select_related("owner"):
        deadlines.append(
            Deadline("Objective", o.title, o.due_date, _url("objectives", o), email(o.owner))
        )
    deadlines.sort(key=lambda d: (d.due, d.kind))
    return {
        "counts": counts,
        "overdue": [d for d in deadlines if d.due < today],
        "upcoming": [d for d in deadlines if d.due >= today],
        "today": today,
    }


def _url(kind: str, obj: Any) -> str:
    return f"/operations/{kind}/{obj.pk}/"


# Training matrix ---------------------------------------------------------------------------------


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
            if record is None:
                state = "missing"
            elif not record.passed:
                state = "failed"
            elif not record.is_valid(today):
                state = "expired"
            else:
                state = "valid"
            states.append(CourseState(course, record, state))
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
    return {"rows": rows, "by_role": by_role, "courses": courses, "today": today}
