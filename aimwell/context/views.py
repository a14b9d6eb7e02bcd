"""Context pages: the overview, every register (list, new, detail, edit, delete), served by
generic views from the table in `pages.py` (governance's registers included), the organisation's
AI roles and where legal requirements apply. Views stay thin: forms validate, services write."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aimwell.accounts.access import page_access, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context import querysets
from aimwell.context.choices import IssueKind
from aimwell.context.forms import AIRoleForm, ApplicabilityForm
from aimwell.context.models import (
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    Objective,
    OrganisationAIRole,
)
from aimwell.context.pages import PAGES, fetch_for_page
from aimwell.context.services import context as ctx_services
from aimwell.context.services import scope as scope_services
from aimwell.core import tabular
from aimwell.core.errors import DomainError, add_to_form
from aimwell.governance.models import AIMSRole, LeadershipCommitment, OversightBody, RaciEntry
from aimwell.governance.querysets import principles_for
from aimwell.inventory.choices import AIRole
from aimwell.inventory.models import AISystem

PAGE_SIZE = 25


def _membership(request: AimwellRequest, capability: Capability) -> Membership:
    return require(request.membership, capability)


@login_required
@page_access(Capability.READ_PUBLISHED)
def home(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request, Capability.READ_PUBLISHED)
    org = membership.organisation
    full = can(membership, Capability.READ_ALL)
    counts: dict[str, int] = {}
    if full:
        issues = ContextIssue.objects.filter(organisation=org, is_active=True)
        counts = {
            "external": issues.filter(kind=IssueKind.EXTERNAL).count(),
            "internal": issues.filter(kind=IssueKind.INTERNAL).count(),
            "parties": InterestedParty.objects.filter(organisation=org).count(),
            "party_requirements": InterestedParty.objects.filter(
                organisation=org, is_requirement=True
            ).count(),
            "ai_roles": OrganisationAIRole.objects.filter(organisation=org).count(),
            "legal": LegalRequirement.objects.filter(organisation=org, is_active=True).count(),
            "objectives": Objective.objects.filter(organisation=org).count(),
            "roles": AIMSRole.objects.filter(organisation=org).count(),
            "raci": RaciEntry.objects.filter(organisation=org).count(),
            "bodies": OversightBody.objects.filter(organisation=org, is_active=True).count(),
            "commitments": LeadershipCommitment.objects.filter(organisation=org).count(),
        }
    principles = principles_for(membership).filter(organisation=org)
    context = {
        "full": full,
        "counts": counts,
        "principle_count": principles.count(),
        "approved": scope_services.latest_approved(org),
        "draft": scope_services.current_draft(org) if full else None,
        "pages": PAGES,
    }
    return render(request, "context/home.html", context)


@login_required
def register_list(request: AimwellRequest, key: str) -> HttpResponse:
    page = PAGES[key]
    membership = _membership(request, page.read)
    try:
        rows = querysets.filtered(
            page.spec, membership.organisation, request.GET, base=page.rows_for(membership)
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(reverse(f"context:{key}"))
    paginator = Paginator(rows, PAGE_SIZE)
    system_options: list[tuple[str, str]] = []
    if any(not f.options for f in page.filters):
        system_options = [
            (str(pk), name)
            for pk, name in AISystem.objects.filter(organisation=membership.organisation)
            .order_by("name")
            .values_list("pk", "name")
        ]
    context = {
        "page": page,
        "filters": [(f, f.options or system_options) for f in page.filters],
        "rows": paginator.get_page(request.GET.get("page")),
        "params": request.GET,
        "query_string": _without_page(request),
        "can_write": can(membership, Capability.MANAGE_AIMS),
        "row_template": page.row_template,
    }
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "context/register_list.html#rows" if is_htmx else "context/register_list.html"
    return render(request, template, context)


def _without_page(request: AimwellRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _form_values(form: Any) -> dict[str, Any]:
    return form.values()


@login_required
def register_new(request: AimwellRequest, key: str) -> HttpResponse:
    page = PAGES[key]
    membership = _membership(request, Capability.MANAGE_AIMS)
    form = page.form(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            obj = page.create(membership.organisation, actor=request.user, **_form_values(form))
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Recorded {obj}.")
            return redirect(reverse(f"context:{key}-detail", args=[obj.pk]))
    return render(request, "context/register_form.html", {"page": page, "form": form, "obj": None})


@login_required
def register_detail(request: AimwellRequest, key: str, pk: Any) -> HttpResponse:
    page = PAGES[key]
    obj, membership = fetch_for_page(request, page, pk)
    rows = [(label, _value(obj, attr)) for label, attr in page.fields]
    context: dict[str, Any] = {
        "page": page,
        "obj": obj,
        "rows": rows,
        "can_write": can(membership, Capability.MANAGE_AIMS),
        "can_history": can(membership, Capability.VIEW_AUDIT_TRAIL),
        "object_type": obj._meta.label_lower,
    }
    if page.detail is not None:
        context.update(page.detail(request, page, obj, membership))
    return render(request, "context/register_detail.html", context)


def _value(obj: Any, attr: str) -> Any:
    value = getattr(obj, attr)
    return value() if callable(value) else value


@login_required
def register_edit(request: AimwellRequest, key: str, pk: Any) -> HttpResponse:
    page = PAGES[key]
    obj, membership = fetch_for_page(request, page, pk, write=True)
    # The form works on its own copy, so the service sees the stored values as "before".
    copy = type(obj).objects.get(pk=obj.pk)
    form = page.form(request.POST or None, instance=copy, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            page.update(obj, actor=request.user, **_form_values(form))
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Saved {obj}.")
            return redirect(reverse(f"context:{key}-detail", args=[obj.pk]))
    return render(request, "context/register_form.html", {"page": page, "form": form, "obj": obj})


@login_required
def register_delete(request: AimwellRequest, key: str, pk: Any) -> HttpResponse:
    page = PAGES[key]
    obj, _ = fetch_for_page(request, page, pk, write=True)
    if request.method != "POST":
        return render(request, "context/confirm_delete.html", {"page": page, "obj": obj})
    assert page.delete is not None
    page.delete(obj, actor=request.user)
    messages.success(request, f"Deleted {obj}.")
    return redirect(reverse(f"context:{key}"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "yes" if value else "no"
    if hasattr(value, "display_name"):
        return str(value.display_name)
    if hasattr(value, "user"):
        return str(value.user.display_name)
    return str(value)


@login_required
def register_export(request: AimwellRequest, key: str) -> HttpResponse:
    """The register as CSV, with the list's filters and order (for auditors and spreadsheets)."""
    page = PAGES[key]
    membership = _membership(request, page.read)
    try:
        rows = querysets.filtered(
            page.spec, membership.organisation, request.GET, base=page.rows_for(membership)
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(reverse(f"context:{key}"))
    related = {
        "issues": ("AI systems", lambda o: "; ".join(s.name for s in o.systems.all())),
        "parties": ("AI systems", lambda o: "; ".join(s.name for s in o.systems.all())),
        "legal": (
            "Applies to",
            lambda o: "; ".join(
                f"{a.system.name}: {a.note}" if a.note else a.system.name
                for a in o.applicability.all()
            ),
        ),
        "roles": ("Holders", lambda o: "; ".join(m.user.display_name for m in o.holders.all())),
        "bodies": ("Members", lambda o: "; ".join(m.user.display_name for m in o.members.all())),
    }.get(key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.csv"'
    writer = csv.writer(response)
    header = [page.singular.capitalize(), *(label for label, _ in page.fields)]
    writer.writerow(tabular.csv_row([*header, related[0]] if related else header))
    for obj in rows:
        values = [str(obj), *(_cell(_value(obj, attr)) for _, attr in page.fields)]
        writer.writerow(tabular.csv_row([*values, related[1](obj)] if related else values))
    return response


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
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("context:legal-detail", args=[requirement.pk]))
