"""Context pages: the overview and every register (list, new, detail, edit, delete), served by
generic views from the table in `pages.py`. Views stay thin: forms validate, services write."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context import querysets
from aimwell.context.choices import IssueKind
from aimwell.context.errors import ContextError
from aimwell.context.models import (
    AIMSRole,
    ContextIssue,
    InterestedParty,
    LeadershipCommitment,
    LegalRequirement,
    Objective,
    OrganisationAIRole,
    OversightBody,
    RaciEntry,
)
from aimwell.context.pages import PAGES, Page
from aimwell.context.services import scope as scope_services
from aimwell.core import tabular
from aimwell.core.errors import add_to_form
from aimwell.inventory.models import AISystem

PAGE_SIZE = 25


def _membership(request: AimwellRequest, capability: Capability) -> Membership:
    return require(request.membership, capability)


def _base(page: Page, membership: Membership) -> QuerySet[Any] | None:
    return querysets.principles_for(membership) if page.key == "principles" else None


def fetch_for_page(
    request: AimwellRequest, page: Page, pk: Any, *, write: bool = False
) -> tuple[Any, Membership]:
    membership = _membership(request, page.read)
    spec = querysets.LISTS[page.key]
    qs = _base(page, membership)
    qs = qs if qs is not None else spec.model.objects.all()  # type: ignore[attr-defined]
    if spec.related:
        qs = qs.select_related(*spec.related)
    obj, member = get_for_user(
        request.user,
        qs,
        pk,
        organisation=membership.organisation,
        write=write,
        capability=page.read,
    )
    if write:
        require(member, Capability.MANAGE_AIMS)
    return obj, member


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
    principles = querysets.principles_for(membership).filter(organisation=org)
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
            key, membership.organisation, request.GET, base=_base(page, membership)
        )
    except ContextError as exc:
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
        "row_template": f"context/rows/{key}.html",
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
        except ContextError as exc:
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
    if page.extra:
        from aimwell.context.views_governance import extra_context

        context.update(extra_context(request, page, obj, membership))
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
        except ContextError as exc:
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
            key, membership.organisation, request.GET, base=_base(page, membership)
        )
    except ContextError as exc:
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
