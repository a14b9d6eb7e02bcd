"""Pages of courses, quizzes and training records: thin views that parse, check access, call a
service and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.competence import forms, querysets
from aimwell.competence import services as training
from aimwell.competence.models import Course, TrainingRecord
from aimwell.core.charts import bar_chart
from aimwell.core.markdown import render_markdown
from aimwell.operations.errors import OperationsError
from aimwell.operations.pages import attempt, edit_page, fetch, member, step_failed


@login_required
def training_home(request: AimwellRequest) -> HttpResponse:
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
        return redirect("competence:training")
    return render(
        request,
        "competence/training.html",
        {
            "rows": rows,
            "can_manage": can(m, Capability.MANAGE_AIMS),
            "can_read_all": can(m, Capability.READ_ALL),
            "today": timezone.localdate(),
        },
    )


@login_required
def course(request: AimwellRequest, pk: Any) -> HttpResponse:
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
            return redirect("competence:course", pk=obj.pk)
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
        "competence/course.html",
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
def training_matrix(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    context = querysets.training_matrix(m.organisation)
    context["completion_chart"] = bar_chart(
        [(truncatechars(c["course"].title, 26), c["percent"]) for c in context["completion"]],
        label="Share of the members each course is required for who hold it valid, in per cent "
        "(the table below gives the numbers)",
        high=100,
        label_width=200,
        width=520,
    )
    return render(request, "competence/training_matrix.html", context)


@login_required
def course_new(request: AimwellRequest) -> HttpResponse:
    m = member(request, Capability.MANAGE_AIMS)
    form = forms.CourseNewForm(request.POST or None)
    created: list[Course] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: created.append(
            training.create_course(m.organisation, actor=request.user, **form.cleaned_data)
        ),
        "Course created.",
    ):
        return redirect("competence:course", pk=created[0].pk)
    return edit_page(request, form, "Write a course", reverse("competence:training"))


@login_required
def course_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    member(request, Capability.MANAGE_AIMS)
    obj, _ = fetch(request, Course.objects.all(), pk, write=True)
    fields = ("title", "summary", "content", "quiz", "pass_mark", "validity_months", "roles")
    form = forms.CourseForm(request.POST or None, initial={f: getattr(obj, f) for f in fields})
    back = reverse("competence:course", args=[obj.pk])
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: training.update_course(obj, actor=request.user, **form.cleaned_data),
        "Course saved.",
    ):
        return redirect(back)
    return edit_page(request, form, f"Edit {obj}", back)
