"""Read-side queries of the life cycle: the systems' life-cycle overview and the change register,
scoped to what the user may see (a guest's audit naming some systems sees only theirs)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from aimwell.change_control.querysets import system_changes
from aimwell.inventory.models import AISystem
from aimwell.lifecycle import status

MAX_ROWS = 500


def systems(
    user: Any, organisation: Any, *, system_ids: Iterable[str] | None = None
) -> QuerySet[AISystem]:
    qs = AISystem.objects.visible_to(user, organisation).order_by("name", "pk")
    return qs if system_ids is None else qs.filter(pk__in=list(system_ids))


def overview(
    user: Any, organisation: Any, *, system_ids: Iterable[str] | None = None
) -> list[status.SystemLifecycle]:
    """Every visible system's life cycle, in a fixed number of queries."""
    rows = list(systems(user, organisation, system_ids=system_ids)[:MAX_ROWS])
    loaded = status.load(rows)
    return [loaded[s.pk] for s in rows]


def operation_links(system: AISystem) -> dict[str, Any]:
    """A.6.2.6: what runs the system in operation: its monitors, incidents and changes."""
    from aimwell.incidents.models import Incident
    from aimwell.monitoring.models import Monitor

    return {
        "monitors": list(Monitor.objects.filter(system=system).order_by("name")),
        "incidents": list(Incident.objects.filter(systems=system).order_by("-detected_at")[:20]),
        "changes": system_changes(system),
    }
