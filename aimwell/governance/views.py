"""Governance pages beyond the registers: the RACI matrix, an oversight body's meetings and
decisions, and a principle's links (the registers themselves are served by the context pages)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context.pages import PAGES, fetch_for_page
from aimwell.core.errors import DomainError, add_to_form
from aimwell.governance import raci, services
from aimwell.governance.forms import DecisionForm, MeetingForm, RaciForm
from aimwell.governance.models import Decision, Meeting, RaciEntry
from aimwell.governance.pages import LINKABLE


@login_required
def raci_matrix(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    axis = request.GET.get("axis", "systems")
    if axis not in raci.AXES:
        axis = "systems"
    context = {
        "matrix": raci.matrix(membership.organisation, axis),
        "axis": axis,
        "can_write": can(membership, Capability.MANAGE_AIMS),
        "form": RaciForm(organisation=membership.organisation),
    }
    return render(request, "governance/raci.html", context)


@login_required
def raci_set(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    org = membership.organisation
    form = RaciForm(request.POST or None, organisation=org)
    axis = "systems"
    if request.method == "POST" and form.is_valid():
        subject = form.subject_values()
        axis = "systems" if "system" in subject else "processes"
        member = form.cleaned_data["member"]
        letter = form.cleaned_data["letter"]
        try:
            if letter:
                services.set_raci(
                    org,
                    member=member,
                    letter=letter,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    **subject,
                )
                messages.success(request, "Saved the RACI entry.")
            else:
                lookup = subject if "system" in subject else {**subject, "system": None}
                entry = RaciEntry.objects.filter(organisation=org, member=member, **lookup).first()
                if entry is not None:
                    services.remove_raci(entry, actor=request.user)
                    messages.success(request, "Removed the RACI entry.")
        except DomainError as exc:
            messages.error(request, str(exc))
    elif request.method == "POST":
        messages.error(request, "Choose an AI system or an AIMS process, and a person.")
    return redirect(reverse("governance:raci") + f"?axis={axis}")


@login_required
def meeting_new(request: AimwellRequest, pk: Any) -> HttpResponse:
    body, membership = fetch_for_page(request, PAGES["bodies"], pk, write=True)
    form = MeetingForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(body, actor=request.user, **form.values())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Recorded {meeting}.")
            return redirect(reverse("governance:meeting", args=[meeting.pk]))
    context = {"form": form, "body": body, "title": f"Record a meeting of {body}"}
    return render(request, "governance/body_form.html", context)


def _child(request: AimwellRequest, model: Any, pk: Any, write: bool = False) -> tuple[Any, Any]:
    membership = require(request.membership, Capability.READ_ALL)
    obj, member = get_for_user(
        request.user,
        model.objects.select_related("body"),
        pk,
        organisation=membership.organisation,
        write=write,
    )
    if write:
        require(member, Capability.MANAGE_AIMS)
    return obj, member


@login_required
def meeting_detail(request: AimwellRequest, pk: Any) -> HttpResponse:
    meeting, membership = _child(request, Meeting, pk)
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("user"),
        "decisions": meeting.decisions.select_related("follow_up_owner__user"),
        "can_write": can(membership, Capability.MANAGE_AIMS),
    }
    return render(request, "governance/meeting.html", context)


@login_required
def meeting_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    meeting, membership = _child(request, Meeting, pk, write=True)
    copy = Meeting.objects.get(pk=meeting.pk)
    form = MeetingForm(request.POST or None, instance=copy, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting, actor=request.user, **form.values())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Saved {meeting}.")
            return redirect(reverse("governance:meeting", args=[meeting.pk]))
    context = {"form": form, "body": meeting.body, "title": f"Edit {meeting}"}
    return render(request, "governance/body_form.html", context)


@login_required
def decision_new(request: AimwellRequest, pk: Any) -> HttpResponse:
    body, membership = fetch_for_page(request, PAGES["bodies"], pk, write=True)
    form = DecisionForm(
        request.POST or None,
        organisation=membership.organisation,
        body=body,
        initial={"meeting": request.GET.get("meeting")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(body, actor=request.user, **form.values())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Recorded the decision.")
            return redirect(reverse("context:bodies-detail", args=[body.pk]))
    context = {"form": form, "body": body, "title": f"Record a decision of {body}"}
    return render(request, "governance/body_form.html", context)


@login_required
def decision_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    decision, membership = _child(request, Decision, pk, write=True)
    copy = Decision.objects.get(pk=decision.pk)
    form = DecisionForm(
        request.POST or None,
        instance=copy,
        organisation=membership.organisation,
        body=decision.body,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision(decision, actor=request.user, **form.values())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Saved the decision.")
            return redirect(reverse("context:bodies-detail", args=[decision.body_id]))
    context = {"form": form, "body": decision.body, "title": "Edit a decision"}
    return render(request, "governance/body_form.html", context)


PICK_LIMIT = 20


@login_required
def principle_pick(request: AimwellRequest, pk: Any) -> HttpResponse:
    """The "Link to" picker's search: records of the chosen kind in this organisation, by name."""
    _, membership = fetch_for_page(request, PAGES["principles"], pk, write=True)
    query = request.GET.get("q", "").strip()[:200]
    kind = LINKABLE.get(request.GET.get("object_type", ""))
    options: list[dict[str, str]] = []
    if kind is not None:
        model = apps.get_model(request.GET["object_type"])
        rows = model._default_manager.filter(organisation=membership.organisation)
        for word in query.split():
            rows = rows.filter(**{f"{kind[1]}__icontains": word})
        options = [
            {"value": str(obj.pk), "label": str(obj)} for obj in rows.order_by(kind[1])[:PICK_LIMIT]
        ]
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
def principle_link(request: AimwellRequest, pk: Any) -> HttpResponse:
    principle, membership = fetch_for_page(request, PAGES["principles"], pk, write=True)
    if request.method != "POST":
        raise Http404("Use the form on the principle's page.")
    object_type = request.POST.get("object_type", "")
    object_id = request.POST.get("target_id", "").strip()
    if object_type not in LINKABLE or not object_id:
        messages.error(request, "Choose what to link to, then pick the record by name.")
        return redirect(reverse("context:principles-detail", args=[principle.pk]))
    try:
        target = services.resolve_link_target(membership.organisation, object_type, object_id)
        services.link_principle(principle, target, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Linked {principle} to {target}.")
    return redirect(reverse("context:principles-detail", args=[principle.pk]))


@login_required
def principle_unlink(request: AimwellRequest, pk: Any, link_id: Any) -> HttpResponse:
    principle, _ = fetch_for_page(request, PAGES["principles"], pk, write=True)
    link = principle.links.filter(pk=link_id).first()
    if request.method != "POST" or link is None:
        raise Http404("No such link.")
    services.unlink_principle(link, actor=request.user)
    messages.success(request, f"Removed the link to {link.object_label}.")
    return redirect(reverse("context:principles-detail", args=[principle.pk]))
