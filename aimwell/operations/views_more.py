"""Pages of incidents, concerns, objectives, training and the member's notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aimwell.accounts.roles import Capability, can, can_write
from aimwell.context.markdown import render_markdown
from aimwell.operations import forms, querysets
from aimwell.operations.choices import (
    ConcernCategory,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
    ObjectiveStatus,
)
from aimwell.operations.errors import OperationsError
from aimwell.operations.models import (
    AIObjective,
    Concern,
    Course,
    Incident,
    Notification,
    TrainingRecord,
)
from aimwell.operations.services import incidents, objectives, training
from aimwell.operations.services.notifications import mark_all_read, mark_read
from aimwell.operations.views import attempt, fetch, list_page, member, step_failed

# Incidents ---------------------------------------------------------------------------------------


@login_required
def incidents_list(request: HttpRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        "incidents",
        "operations/incidents.html",
        can_create=can(m, Capability.CONTRIBUTE),
        statuses=IncidentStatus.choices,
        severities=IncidentSeverity.choices,
    )


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    m = member(request, Capability.CONTRIBUTE)
    form = forms.IncidentForm(
        request.POST or None, organisation=m.organisation, initial={"owner": request.user.pk}
    )
    created: list[Incident] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: created.append(
            incidents.record_incident(m.organisation, actor=request.user, **form.cleaned_data)
        ),
        "Incident recorded.",
    ):
        return redirect("operations:incident", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Record an AI incident", "back": reverse("operations:incidents")},
    )


@login_required
def incident(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Incident.objects.select_related("owner", "reported_by"), pk)
    writable = can_write(m, obj)
    return render(
        request,
        "operations/incident.html",
        {
            "obj": obj,
            "systems": obj.systems.all(),
            "ncs": obj.nonconformities.all(),
            "days": obj.days_to_report(),
            "can_write": writable,
            "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
            "update_form": forms.IncidentUpdateForm(
                organisation=m.organisation,
                initial={
                    f: getattr(obj, f)
                    for f in (
                        "status",
                        "response",
                        "affected_informed_on",
                        "communication",
                        "lessons",
                    )
                }
                | {"owner": obj.owner_id},
            ),
            "authority_form": forms.AuthorityForm(initial={"authority": obj.authority}),
        },
    )


@login_required
@require_POST
def incident_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    obj, m = fetch(request, Incident.objects.all(), pk, write=True)
    user = request.user
    if step == "update":
        form: Any = forms.IncidentUpdateForm(request.POST, organisation=m.organisation)
        call = lambda: incidents.update_incident(obj, actor=user, **_keep_owner(form))  # noqa: E731
    elif step == "authority":
        form = forms.AuthorityForm(request.POST)
        call = lambda: incidents.record_authority_report(obj, actor=user, **form.cleaned_data)  # noqa: E731
    elif step == "nonconformity":
        try:
            nc = incidents.open_nonconformity_for_incident(obj, actor=user)
        except OperationsError as exc:
            messages.error(request, str(exc))
            return redirect("operations:incident", pk=obj.pk)
        messages.success(request, f"Raised {nc.reference}.")
        return redirect("operations:nonconformity", pk=nc.pk)
    else:
        raise Http404("No such step.")
    if not attempt(request, form, call, "Saved."):
        step_failed(request, form)
    return redirect("operations:incident", pk=obj.pk)


def _keep_owner(form: Any) -> dict[str, Any]:
    """An empty owner field keeps the current owner (an incident always has someone on it)."""
    values = dict(form.cleaned_data)
    if values.get("owner") is None:
        values.pop("owner", None)
    return values


# Concerns ----------------------------------------------------------------------------------------


@login_required
def concern_report(request: HttpRequest) -> HttpResponse:
    m = member(request, Capability.REPORT_CONCERN)
    form = forms.ConcernForm(request.POST or None, organisation=m.organisation)
    receipt: list[Any] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: receipt.append(
            incidents.report_concern(m.organisation, reporter=request.user, **form.cleaned_data)
        ),
        "Thank you: your concern was received.",
    ):
        concern, code = receipt[0]
        return render(
            request, "operations/concern_receipt.html", {"concern": concern, "code": code}
        )
    return render(request, "operations/concern_report.html", {"form": form})


@login_required
def concerns_mine(request: HttpRequest) -> HttpResponse:
    m = member(request, Capability.REPORT_CONCERN)
    form = forms.CodeForm(request.GET or None)
    found = None
    if form.is_valid():
        found = incidents.concern_by_code(m.organisation, form.cleaned_data["code"])
        if found is None:
            form.add_error("code", "No concern has that code.")
    mine = Concern.objects.filter(organisation=m.organisation, reporter=m.user)
    return render(
        request,
        "operations/concerns_mine.html",
        {"mine": mine.order_by("-received_on", "-reference"), "form": form, "found": found},
    )


@login_required
def concerns(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        "concerns",
        "operations/concerns.html",
        capability=Capability.MANAGE_AIMS,
        statuses=ConcernStatus.choices,
        categories=ConcernCategory.choices,
    )


@login_required
def concern(request: HttpRequest, pk: Any) -> HttpResponse:
    member(request, Capability.MANAGE_AIMS)
    obj, m = fetch(request, Concern.objects.select_related("system", "handler", "reporter"), pk)
    form = forms.TriageForm(
        request.POST or None,
        organisation=m.organisation,
        initial={
            "status": obj.status,
            "handler": obj.handler_id,
            "triage_notes": obj.triage_notes,
            "outcome": obj.outcome,
        },
    )
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: incidents.triage_concern(obj, actor=request.user, **form.cleaned_data),
        "Saved.",
    ):
        return redirect("operations:concern", pk=obj.pk)
    return render(
        request,
        "operations/concern.html",
        {"obj": obj, "form": form, "ncs": obj.nonconformities.all()},
    )


# Objectives --------------------------------------------------------------------------------------


@login_required
def objectives_list(request: HttpRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        "objectives",
        "operations/objectives.html",
        can_create=can(m, Capability.MANAGE_AIMS),
        statuses=ObjectiveStatus.choices,
    )


@login_required
def objective_new(request: HttpRequest) -> HttpResponse:
    m = member(request, Capability.MANAGE_AIMS)
    form = forms.ObjectiveForm(request.POST or None, organisation=m.organisation)
    created: list[AIObjective] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: created.append(
            objectives.create_objective(m.organisation, actor=request.user, **form.cleaned_data)
        ),
        "Objective set.",
    ):
        return redirect("operations:objective", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Set an AI objective", "back": reverse("operations:objectives")},
    )


@login_required
def objective(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(
        request, AIObjective.objects.select_related("owner", "annex_c", "business_objective"), pk
    )
    writable = can_write(m, obj)
    form = forms.MeasurementForm(request.POST or None)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied("Your role does not allow changing this.")
        if attempt(
            request,
            form,
            lambda: objectives.record_measurement(obj, actor=request.user, **form.cleaned_data),
            "Measurement recorded.",
        ):
            return redirect("operations:objective", pk=obj.pk)
    measurements = list(obj.measurements.order_by("measured_on", "created_at"))
    return render(
        request,
        "operations/objective.html",
        {
            "obj": obj,
            "systems": obj.systems.all(),
            "measurements": measurements,
            "form": form,
            "can_write": writable and obj.status != ObjectiveStatus.RETIRED,
            "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
        },
    )


# Training ----------------------------------------------------------------------------------------


@login_required
def training_home(request: HttpRequest) -> HttpResponse:
    m = member(request, Capability.READ_PUBLISHED)
    courses = list(Course.objects.filter(organisation=m.organisation, is_active=True))
    latest: dict[Any, TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(
        organisation=m.organisation, user_id=str(request.user.pk)
    ).order_by("completed_on", "created_at"):
        latest[record.course_id] = record
    rows = [(c, latest.get(c.pk), c.required_for(m.role)) for c in courses]
    if request.method == "POST":
        member(request, Capability.MANAGE_AIMS)
        created = training.install_library(m.organisation, actor=request.user)
        messages.success(request, f"Added {len(created)} course(s) and competence(s).")
        return redirect("operations:training")
    return render(
        request,
        "operations/training.html",
        {
            "rows": rows,
            "can_manage": can(m, Capability.MANAGE_AIMS),
            "can_read_all": can(m, Capability.READ_ALL),
            "today": timezone.localdate(),
        },
    )


@login_required
def course(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Course.objects.all(), pk, capability=Capability.READ_PUBLISHED)
    may_take = can(m, Capability.ACKNOWLEDGE)
    result = None
    if request.method == "POST" and request.POST.get("form") == "record":
        member(request, Capability.MANAGE_AIMS)
        record_form = forms.RecordForm(request.POST, organisation=m.organisation)
        if attempt(
            request,
            record_form,
            lambda: training.record_training(
                obj,
                record_form.cleaned_data.pop("user"),
                actor=request.user,
                **record_form.cleaned_data,
            ),
            "Training recorded.",
        ):
            return redirect("operations:course", pk=obj.pk)
        step_failed(request, record_form)
    elif request.method == "POST":
        if not may_take:
            raise PermissionDenied("Your role does not take training.")
        answers: list[int | None] = []
        for index in range(len(obj.quiz)):
            value = request.POST.get(f"q{index}")
            answers.append(int(value) if value and value.isdigit() else None)
        try:
            result = training.submit_quiz(obj, request.user, answers)
        except OperationsError as exc:
            messages.error(request, str(exc))
    records = TrainingRecord.objects.filter(course=obj, user_id=str(request.user.pk))
    return render(
        request,
        "operations/course.html",
        {
            "obj": obj,
            "content": render_markdown(obj.content),
            "questions": list(enumerate(obj.quiz)),
            "may_take": may_take and obj.is_active,
            "result": result,
            "records": records,
            "can_manage": can(m, Capability.MANAGE_AIMS),
            "record_form": forms.RecordForm(organisation=m.organisation),
        },
    )


@login_required
def training_matrix(request: HttpRequest) -> HttpResponse:
    m = member(request)
    return render(
        request, "operations/training_matrix.html", querysets.training_matrix(m.organisation)
    )


# Notifications -----------------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    rows = querysets.notifications_for(request.user, m.organisation)
    return render(
        request,
        "operations/notifications.html",
        {"rows": querysets.page_of(rows, request.GET.get("page"), 50)},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: Any) -> HttpResponse:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    if pk == "all":
        mark_all_read(request.user, m.organisation)
        return redirect("operations:notifications")
    note = (
        Notification.objects.visible_to(request.user, m.organisation).filter(pk=pk).first()
        if _is_uuid(pk)
        else None
    )
    if note is None:
        raise Http404("Not found.")
    mark_read(note)
    return redirect(note.url or reverse("operations:notifications"))


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
