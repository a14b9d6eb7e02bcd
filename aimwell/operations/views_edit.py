"""Edit pages: an audit's plan and scope, a nonconformity, an objective, and courses."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aimwell.accounts.roles import Capability
from aimwell.operations import forms
from aimwell.operations.models import AIObjective, Audit, Course, Nonconformity
from aimwell.operations.services import audits, improvement, objectives, training
from aimwell.operations.views import attempt, fetch, member

FORM = "operations/form.html"


def _page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    return render(request, FORM, {"form": form, "title": title, "back": back})


@login_required
def audit_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Audit.objects.all(), pk, write=True, audit_record=True)
    initial = {
        f: getattr(obj, f)
        for f in (
            "title",
            "programme",
            "scope",
            "criteria",
            "planned_start",
            "planned_end",
            "processes",
        )
    }
    initial |= {
        "lead_auditor": obj.lead_auditor_id,
        "requirements": obj.requirements.all(),
        "systems": obj.sampled_systems.all(),
    }
    form = forms.AuditForm(request.POST or None, organisation=m.organisation, initial=initial)

    def save() -> None:
        data = dict(form.cleaned_data)
        nodes, systems = data.pop("requirements"), data.pop("systems")
        audits.set_scope(obj, actor=request.user, requirements=nodes, systems=systems)
        audits.update_audit(obj, actor=request.user, **data)

    back = reverse("operations:audit", args=[obj.pk])
    if request.method == "POST" and attempt(request, form, save, "Audit saved."):
        return redirect(back)
    return _page(request, form, f"Edit {obj}", back)


@login_required
def nonconformity_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Nonconformity.objects.all(), pk, write=True)
    initial = {f: getattr(obj, f) for f in ("title", "description", "severity", "due_date")}
    form = forms.NonconformityEditForm(
        request.POST or None, organisation=m.organisation, initial=initial | {"owner": obj.owner_id}
    )
    back = reverse("operations:nonconformity", args=[obj.pk])
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: improvement.update_nonconformity(obj, actor=request.user, **form.cleaned_data),
        "Saved.",
    ):
        return redirect(back)
    return _page(request, form, f"Edit {obj}", back)


@login_required
def objective_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, AIObjective.objects.all(), pk, write=True)
    fields = (
        "title",
        "description",
        "measure",
        "unit",
        "baseline",
        "target",
        "direction",
        "due_date",
        "annex_c",
    )
    initial = {f: getattr(obj, f) for f in fields}
    initial |= {"owner": obj.owner_id, "systems": obj.systems.all()}
    form = forms.ObjectiveForm(request.POST or None, organisation=m.organisation, initial=initial)
    back = reverse("operations:objective", args=[obj.pk])

    def save() -> None:
        if request.POST.get("retire"):
            objectives.retire_objective(obj, actor=request.user)
            return
        data = dict(form.cleaned_data)
        objectives.update_objective(obj, actor=request.user, systems=data.pop("systems"), **data)

    if request.method == "POST" and attempt(request, form, save, "Saved."):
        return redirect(back)
    return _page(request, form, f"Edit {obj}", back)


@login_required
def course_new(request: HttpRequest) -> HttpResponse:
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
        return redirect("operations:course", pk=created[0].pk)
    return _page(request, form, "Write a course", reverse("operations:training"))


@login_required
def course_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    member(request, Capability.MANAGE_AIMS)
    obj, _ = fetch(request, Course.objects.all(), pk, write=True)
    fields = ("title", "summary", "content", "quiz", "pass_mark", "validity_months", "roles")
    form = forms.CourseForm(request.POST or None, initial={f: getattr(obj, f) for f in fields})
    back = reverse("operations:course", args=[obj.pk])
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: training.update_course(obj, actor=request.user, **form.cleaned_data),
        "Course saved.",
    ):
        return redirect(back)
    return _page(request, form, f"Edit {obj}", back)
