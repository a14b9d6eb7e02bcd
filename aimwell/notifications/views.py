"""Pages of in-app notifications: thin views that parse, check access, call a service and render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.access import page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.notifications import querysets
from aimwell.notifications.inbox import inbox_for
from aimwell.notifications.models import Notification
from aimwell.notifications.services import mark_all_read, mark_read
from aimwell.operations.lists import page_of


@login_required
@page_access(Capability.ACKNOWLEDGE)
def inbox(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.ACKNOWLEDGE)
    unread = querysets.notifications_for(request.user, membership.organisation).filter(
        read_at__isnull=True
    )
    context = {"inbox": inbox_for(membership), "unread": unread.count()}
    return render(request, "notifications/inbox.html", context)


@login_required
@page_access(Capability.ACKNOWLEDGE)
def inbox_count(request: AimwellRequest) -> HttpResponse:
    """The header's count, loaded after the page so that no page pays for the inbox's queries."""
    count = inbox_for(request.membership).count
    return render(request, "notifications/_inbox_count.html", {"count": count})


@login_required
def notifications(request: AimwellRequest) -> HttpResponse:
    m = request.membership
    if m is None:
        raise Http404("No such organisation.")
    rows = querysets.notifications_for(request.user, m.organisation)
    return render(
        request,
        "notifications/notifications.html",
        {"rows": page_of(rows, request.GET.get("page"), 50)},
    )


@login_required
@require_POST
def notification_read(request: AimwellRequest, pk: Any) -> HttpResponse:
    m = request.membership
    if m is None:
        raise Http404("No such organisation.")
    if pk == "all":
        mark_all_read(request.user, m.organisation)
        return redirect("notifications:notifications")
    note = (
        Notification.objects.visible_to(request.user, m.organisation).filter(pk=pk).first()
        if _is_uuid(pk)
        else None
    )
    if note is None:
        raise Http404("Not found.")
    mark_read(note)
    return redirect(note.url or reverse("notifications:notifications"))


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
