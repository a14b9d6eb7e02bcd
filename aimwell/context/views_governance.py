"""Pages beyond the generic registers: the organisation's AI roles, applicability of legal
requirements, the RACI matrix, and an oversight body's meetings and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context import raci
from aimwell.context.errors import ContextError
from aimwell.context.forms import (
    AIRoleForm,
    ApplicabilityForm,
    DecisionForm,
    MeetingForm,
    RaciForm,
)
from aimwell.context.models import (
    Applicability,
    Decision,
    Meeting,
    OrganisationAIRole,
    RaciEntry,
)
from aimwell.context.pages import PAGES, Page
from aimwell.context.services import context as ctx_services
from aimwell.context.services import governance as services
from aimwell.context.views import fetch_for_page
from aimwell.core.widgets import Picker
from aimwell.inventory.choices import AIRole
from aimwell.inventory.models import AISystem


def extra_context(
    request: AimwellRequest, page: Page, obj: Any, membership: Membership
) -> dict[str, Any]:
    """What a register's detail page shows beyond its fields."""
    if page.key == "legal":
        return {
            "applicability": Applicability.objects.filter(requirement=obj)
            .select_related("system")
            .order_by("system__name"),
            "nodes": obj.catalog_nodes.select_related("framework"),
            "applicability_form": ApplicabilityForm(organisation=membership.organisation),
        }
    if page.key == "principles":
        can_link = can(membership, Capability.MANAGE_AIMS)
        return {
            "nodes": obj.catalog_nodes.select_related("framework"),
            "links": obj.links.all(),
            "link_picker": link_picker(obj) if can_link else None,
        }
    if page.key == "roles":
        return {"holders": obj.holders.select_related("user")}
    if page.key == "bodies":
        return {
            "today": timezone.localdate(),
            "members": obj.members.select_related("user"),
            "meetings": obj.meetings.prefetch_related("attendees__user"),
            "decisions": obj.decisions.select_related("meeting", "follow_up_owner__user"),
        }
    return {}


@login_required
def ai_roles(request: AimwellRequest) -> HttpResponse:
    """The organisation's AI roles (ISO/IEC 22989), and each system's EU AI Act role."""
    membership = require(request.membership, Capability.READ_ALL)
    org = membership.organisation
    declared = {r.role: r for r in OrganisationAIRole.objects.filter(organisation=org)}
    can_write = can(membership, Capability.MANAGE_AIMS)
    if request.method == "POST":
        require(membership, Capability.MANAGE_AIMS)
    forms_by_role = []
    all_valid = True
    for role in AIRole:
        current = declared.get(role.value)
        initial = {"declared": current is not None, "note": current.note if current else ""}
        data = request.POST if request.method == "POST" else None
        form = AIRoleForm(data, prefix=role.value, initial=initial)
        all_valid = form.is_valid() and all_valid if data is not None else all_valid
        forms_by_role.append((role, form, current))
    if request.method == "POST" and all_valid:
        for role, form, current in forms_by_role:
            if form.cleaned_data["declared"]:
                ctx_services.set_ai_role(
                    org, role.value, actor=request.user, note=form.cleaned_data["note"]
                )
            elif current is not None:
                ctx_services.remove_ai_role(current, actor=request.user)
        messages.success(request, "Saved the organisation's AI roles.")
        return redirect("context:ai-roles")
    systems = AISystem.objects.filter(organisation=org).order_by("-in_scope", "name")
    context = {"forms": forms_by_role, "can_write": can_write, "systems": systems}
    return render(request, "context/ai_roles.html", context)


@login_required
def legal_applies(request: AimwellRequest, pk: Any) -> HttpResponse:
    requirement, membership = fetch_for_page(request, PAGES["legal"], pk, write=True)
    form = ApplicabilityForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        ctx_services.set_applicability(
            requirement,
            form.cleaned_data["system"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, f"{requirement} applies to {form.cleaned_data['system']}.")
    elif request.method == "POST":
        messages.error(request, "Choose an AI system of this organisation.")
    return redirect(reverse("context:legal-detail", args=[requirement.pk]))


@login_required
def legal_unapplies(request: AimwellRequest, pk: Any, system_id: Any) -> HttpResponse:
    requirement, membership = fetch_for_page(request, PAGES["legal"], pk, write=True)
    if request.method != "POST":
        raise Http404("Use the button on the requirement's page.")
    system = AISystem.objects.filter(organisation=membership.organisation, pk=system_id).first()
    if system is None:
        raise Http404("No such AI system.")
    try:
        ctx_services.remove_applicability(requirement, system, actor=request.user)
    except ContextError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("context:legal-detail", args=[requirement.pk]))


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
    return render(request, "context/raci.html", context)


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
        except ContextError as exc:
            messages.error(request, str(exc))
    elif request.method == "POST":
        messages.error(request, "Choose a system or process, a person and a letter.")
    return redirect(reverse("context:raci") + f"?axis={axis}")


@login_required
def meeting_new(request: AimwellRequest, pk: Any) -> HttpResponse:
    body, membership = fetch_for_page(request, PAGES["bodies"], pk, write=True)
    form = MeetingForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(body, actor=request.user, **form.values())
        except ContextError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Recorded {meeting}.")
            return redirect(reverse("context:meeting", args=[meeting.pk]))
    context = {"form": form, "body": body, "title": f"Record a meeting of {body}"}
    return render(request, "context/body_form.html", context)


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
    return render(request, "context/meeting.html", context)


@login_required
def meeting_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    meeting, membership = _child(request, Meeting, pk, write=True)
    copy = Meeting.objects.get(pk=meeting.pk)
    form = MeetingForm(request.POST or None, instance=copy, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting, actor=request.user, **form.values())
        except ContextError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {meeting}.")
            return redirect(reverse("context:meeting", args=[meeting.pk]))
    context = {"form": form, "body": meeting.body, "title": f"Edit {meeting}"}
    return render(request, "context/body_form.html", context)


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
        except ContextError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Recorded the decision.")
            return redirect(reverse("context:bodies-detail", args=[body.pk]))
    context = {"form": form, "body": body, "title": f"Record a decision of {body}"}
    return render(request, "context/body_form.html", context)


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
        except ContextError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved the decision.")
            return redirect(reverse("context:bodies-detail", args=[decision.body_id]))
    context = {"form": form, "body": decision.body, "title": "Edit a decision"}
    return render(request, "context/body_form.html", context)


# What a principle can be linked to from its page: model, what the page calls them, the field a
# search reads.
LINKABLE: dict[str, tuple[str, str]] = {
    "inventory.aisystem": ("AI systems", "name"),
    "context.objective": ("Objectives", "title"),
    "context.legalrequirement": ("Legal requirements", "name"),
    "context.interestedparty": ("Interested parties", "name"),
}
PICK_LIMIT = 20


def link_picker(principle: Any) -> dict[str, Any]:
    """The kinds a principle links to, and the picker that searches the records of one kind (a
    <select> of every record would grow with the organisation)."""
    picker = Picker(
        reverse("context:principle-pick", args=[principle.pk]),
        include="#principle-link-type",
        placeholder="Search records of that kind by name",
    )
    return {
        "kinds": [(label, title) for label, (title, _) in LINKABLE.items()],
        "field": picker.render("target_id", "", attrs={"id": "principle-link-target"}),
    }


@login_required
def principle_pick(request: AimwellRequest, pk: Any) -> HttpResponse:
    """The "Link to" picker's search: records of the chosen kind in this organisation, by name."""
    _, membership = fetch_for_page(request, PAGES["principles"], pk, write=True)
    query = request.GET.get("q", "").strip()[:200]
    kind = LINKABLE.get(request.GET.get("object_type", ""))
    options: list[dict[str, str]] = []
    if kind is not None:
        from django.apps import apps

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
    except ContextError as exc:
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
