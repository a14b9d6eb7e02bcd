"""Pages of AI objectives and their measurements: thin views that parse, check access, call a
service and render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.objectives import forms, querysets
from aimwell.objectives import services as objectives
from aimwell.objectives.choices import ObjectiveStatus
from aimwell.objectives.models import AIObjective
from aimwell.operations.pages import attempt, edit_page, fetch, list_page, member


@login_required
def objectives_list(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        querysets.OBJECTIVES,
        "objectives/objectives.html",
        can_create=can(m, Capability.MANAGE_AIMS),
        statuses=ObjectiveStatus.choices,
    )


@login_required
def objective_new(request: AimwellRequest) -> HttpResponse:
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
        return redirect("objectives:objective", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Set an AI objective", "back": reverse("objectives:objectives")},
    )


@login_required
def objective(request: AimwellRequest, pk: Any) -> HttpResponse:
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
            return redirect("objectives:objective", pk=obj.pk)
    measurements = list(obj.measurements.order_by("measured_on", "created_at"))
    return render(
        request,
        "objectives/objective.html",
        {
            "obj": obj,
            "systems": obj.systems.all(),
            "measurements": measurements,
            "form": form,
            "can_write": writable and obj.status != ObjectiveStatus.RETIRED,
            "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
        },
    )


@login_required
def objective_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
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
    back = reverse("objectives:objective", args=[obj.pk])

    def save() -> None:
        if request.POST.get("retire"):
            objectives.retire_objective(obj, actor=request.user)
            return
        data = dict(form.cleaned_data)
        objectives.update_objective(obj, actor=request.user, systems=data.pop("systems"), **data)

    if request.method == "POST" and attempt(request, form, save, "Saved."):
        return redirect(back)
    return edit_page(request, form, f"Edit {obj}", back)
