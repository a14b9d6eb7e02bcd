"""What every register page of the operations apps uses: access, lists with search, filters and
pagination, forms that call a service, and the edit page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.roles import Capability, can
from aimwell.operations.errors import OperationsError
from aimwell.operations.lists import ListSpec, filtered, page_of

PAGE_SIZE = 25


def member(request: HttpRequest, capability: Capability = Capability.READ_ALL) -> Membership:
    return require(request.membership, capability)  # type: ignore[attr-defined]


def require_any(request: HttpRequest, *capabilities: Capability) -> Membership:
    m = request.membership  # type: ignore[attr-defined]
    if m is None:
        raise Http404("No such organisation.")
    if not any(can(m, c) for c in capabilities):
        raise PermissionDenied("Your role does not allow this.")
    return m  # type: ignore[no-any-return]


def fetch(request: HttpRequest, qs: Any, pk: Any, **kw: Any) -> tuple[Any, Membership]:
    return get_for_user(
        request.user,
        qs,
        pk,
        organisation=request.organisation,  # type: ignore[attr-defined]
        **kw,
    )


def list_page(
    request: HttpRequest,
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


def attempt(request: HttpRequest, form: Any, call: Callable[[], Any], success: str) -> bool:
    """Run a service call for a valid form; a domain error lands on the form."""
    if not form.is_valid():
        return False
    try:
        call()
    except OperationsError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return False
    messages.success(request, success)
    return True


def step_failed(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = "" if field == "__all__" else f"{form.fields[field].label or field}: "
        for error in errors:
            messages.error(request, f"{label}{error}")


FORM = "operations/form.html"


def edit_page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    return render(request, FORM, {"form": form, "title": title, "back": back})
