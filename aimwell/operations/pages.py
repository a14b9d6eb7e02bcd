"""What every register page of the operations apps uses: access, lists with search, filters and
pagination, forms that call a service, and the edit page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.core.errors import add_to_form
from aimwell.operations.errors import OperationsError
from aimwell.operations.lists import ListSpec, filtered, page_of

PAGE_SIZE = 25


def member(request: AimwellRequest, capability: Capability = Capability.READ_ALL) -> Membership:
    return require(request.membership, capability)


def require_any(request: AimwellRequest, *capabilities: Capability) -> Membership:
    m = request.membership
    if m is None:
        raise Http404("No such organisation.")
    if not any(can(m, c) for c in capabilities):
        raise PermissionDenied("Your role does not allow this.")
    return m


def fetch(request: AimwellRequest, qs: Any, pk: Any, **kw: Any) -> tuple[Any, Membership]:
    return get_for_user(
        request.user,
        qs,
        pk,
        organisation=request.organisation,
        **kw,
    )


def list_page(
    request: AimwellRequest,
    spec: ListSpec,
    template: str,
    *,
    capability: Capability = Capability.READ_ALL,
    base: Any = None,
    **extra: Any,
) -> HttpResponse:
    """A register list: server-side search, filters, sort and pagination; HTMX swaps the rows."""
    m = member(request, capability)
    try:
        rows = filtered(spec, m.organisation, request.GET, base=base)
    except OperationsError as exc:
        messages.error(request, str(exc))
        rows = filtered(spec, m.organisation, {}, base=base)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "rows": page_of(rows, request.GET.get("page"), PAGE_SIZE),
        "params": request.GET,
        "query_string": params.urlencode(),
        "membership": m,
        **extra,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, f"{template}#rows", context)
    return render(request, template, context)


def attempt(request: AimwellRequest, form: Any, call: Callable[[], Any], success: str) -> bool:
    """Run a service call for a valid form; a domain error lands on the form."""
    if not form.is_valid():
        return False
    try:
        call()
    except OperationsError as exc:
        add_to_form(form, exc)
        return False
    messages.success(request, success)
    return True


def step_failed(request: AimwellRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = "" if field == "__all__" else f"{form.fields[field].label or field}: "
        for error in errors:
            messages.error(request, f"{label}{error}")


FORM = "operations/form.html"


def edit_page(request: AimwellRequest, form: Any, title: str, back: str) -> HttpResponse:
    return render(request, FORM, {"form": form, "title": title, "back": back})
