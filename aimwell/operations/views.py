"""The /operations/ overview: counts, overdue items and deadlines of every register, and the
member's unread notifications."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from aimwell.accounts.access import page_access
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.notifications.querysets import notifications_for
from aimwell.operations.overview import overview
from aimwell.operations.pages import member


@login_required
@page_access(Capability.READ_PUBLISHED)
def home(request: AimwellRequest) -> HttpResponse:
    m = member(request, Capability.READ_PUBLISHED)
    full = can(m, Capability.READ_ALL)
    context: dict[str, Any] = {"full": full, "membership": m}
    if full:
        context.update(overview(m.organisation))
    context["my_notifications"] = notifications_for(request.user, m.organisation).filter(
        read_at__isnull=True
    )[:5]
    return render(request, "operations/home.html", context)
