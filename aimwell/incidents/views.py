"""Pages of AI incidents and concerns: thin views that parse, check access, call a service and
render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.incidents import forms, querysets
from aimwell.incidents import services as incidents
from aimwell.incidents.choices import (
    ConcernCategory,
    ConcernStatus,
    IncidentSeverity,
    IncidentStatus,
)
from aimwell.incidents.models import Concern, Incident
from aimwell.operations.errors import OperationsError
from aimwell.operations.pages import attempt, fetch, list_page, member, step_failed


@login_required
def incidents_list(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        querysets.INCIDENTS,
        "incidents/incidents.html",
        can_create=can(m, Capability.CONTRIBUTE),
        statuses=IncidentStatus.choices,
        severities=IncidentSeverity.choices,
    )


@login_required
def incident_new(request: AimwellRequest) -> HttpResponse:
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
        return redirect("incidents:incident", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Record an AI incident", "back": reverse("incidents:incidents")},
    )


@login_required
def incident(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Incident.objects.select_related("owner", "reported_by"), pk)
    writable = can_write(m, obj)
    return render(
        request,
        "incidents/incident.html",
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
def incident_step(request: AimwellRequest, pk: Any, step: str) -> HttpResponse:
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
            return redirect("incidents:incident", pk=obj.pk)
        messages.success(request, f"Raised {nc.reference}.")
        return redirect("improvement:nonconformity", pk=nc.pk)
    else:
        raise Http404("No such step.")
    if not attempt(request, form, call, "Saved."):
        step_failed(request, form)
    return redirect("incidents:incident", pk=obj.pk)


def _keep_owner(form: Any) -> dict[str, Any]:
    """An empty owner field keeps the current owner (an incident always has someone on it)."""
    values = dict(form.cleaned_data)
    if values.get("owner") is None:
        values.pop("owner", None)
    return values


@login_required
def concern_report(request: AimwellRequest) -> HttpResponse:
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
        return render(request, "incidents/concern_receipt.html", {"concern": concern, "code": code})
    return render(request, "incidents/concern_report.html", {"form": form})


@login_required
def concerns_mine(request: AimwellRequest) -> HttpResponse:
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
        "incidents/concerns_mine.html",
        {"mine": mine.order_by("-received_on", "-reference"), "form": form, "found": found},
    )


@login_required
def concerns(request: AimwellRequest) -> HttpResponse:
    return list_page(
        request,
        querysets.CONCERNS,
        "incidents/concerns.html",
        capability=Capability.MANAGE_AIMS,
        statuses=ConcernStatus.choices,
        categories=ConcernCategory.choices,
    )


@login_required
def concern(request: AimwellRequest, pk: Any) -> HttpResponse:
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
        return redirect("incidents:concern", pk=obj.pk)
    return render(
        request,
        "incidents/concern.html",
        {"obj": obj, "form": form, "ncs": obj.nonconformities.all()},
    )
