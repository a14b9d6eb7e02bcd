"""Read-side queries of the change register."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from aimwell.change_control.models import ChangeRequest
from aimwell.inventory.models import AISystem

MAX_ROWS = 500  # the most rows a list page or the API returns, as the life cycle's lists


def changes(
    user: Any,
    organisation: Any,
    *,
    system_ids: Iterable[str] | None = None,
    status_in: Iterable[str] | None = None,
    system: Any = None,
    q: str | None = None,
) -> QuerySet[ChangeRequest]:
    qs = ChangeRequest.objects.visible_to(user, organisation).select_related("system", "owner")
    if system_ids is not None:
        # A guest narrowed to some systems sees their changes and the AIMS-wide ones.
        qs = qs.filter(Q(system_id__in=list(system_ids)) | Q(system__isnull=True))
    if status_in:
        qs = qs.filter(status__in=list(status_in))
    if system is not None:
        qs = qs.filter(system=system)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    return qs.order_by("-reference")


def system_changes(system: AISystem) -> list[ChangeRequest]:
    return list(
        ChangeRequest.objects.filter(system=system).select_related("owner").order_by("-reference")
    )
