"""Audit-trail pages: the organisation's trail (filterable) and one object's history."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from aimwell.accounts.access import page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.core.querysets import audit_events_for

PAGE_SIZE = 50


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@page_access(Capability.VIEW_AUDIT_TRAIL)
def audit_trail(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.VIEW_AUDIT_TRAIL)
    events = audit_events_for(
        membership.organisation_id,
        object_type=request.GET.get("object_type") or None,
        object_id=request.GET.get("object_id") or None,
        action=request.GET.get("action") or None,
        actor=request.GET.get("actor") or None,
        since=_date(request.GET.get("since")),
        until=_date(request.GET.get("until")),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "core/audit_trail.html#events" if is_htmx else "core/audit_trail.html"
    return render(request, template, {"page": page, "filters": request.GET})


@login_required
def object_history(request: AimwellRequest, object_type: str, object_id: str) -> HttpResponse:
    membership = require(request.membership, Capability.VIEW_AUDIT_TRAIL)
    events = audit_events_for(
        membership.organisation_id, object_type=object_type, object_id=object_id
    )
    if not events.exists():
        # Another organisation's object, or none at all: do not reveal which.
        raise Http404("Not found.")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "object_type": object_type, "object_id": object_id}
    return render(request, "core/object_history.html", context)
