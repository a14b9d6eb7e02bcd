"""Pages of in-app notifications: thin views that parse, check access, call a service and render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.notifications import querysets
from aimwell.notifications.models import Notification
from aimwell.notifications.services import mark_all_read, mark_read
from aimwell.operations.lists import page_of


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    m = request.membership  # type: ignore[attr-defined]
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
def notification_read(request: HttpRequest, pk: Any) -> HttpResponse:
    m = request.membership  # type: ignore[attr-defined]
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
