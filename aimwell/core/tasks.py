"""The hourly anchoring of the audit chains on the worker's queue (django-tasks).

Like the daily reminders, the task queues its next run when it has run; `aimwell worker` (or
`aimwell audit anchor --schedule`) queues the first when AIMWELL_AUDIT_ANCHOR_DIR is set. It
writes to that directory (and mails AIMWELL_AUDIT_ANCHOR_EMAIL when set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from aimwell.core import anchors, scheduler
from aimwell.core.models import AuditChainHead

EVERY = dt.timedelta(hours=1)


@task()
def anchor_chains(reschedule: bool = True) -> dict[str, Any]:
    directory = settings.AIMWELL_AUDIT_ANCHOR_DIR
    if not directory:
        return {"anchored": 0, "reason": "AIMWELL_AUDIT_ANCHOR_DIR is not set"}
    organisation_ids = list(AuditChainHead.objects.values_list("organisation_id", flat=True))
    written = anchors.anchor_all(
        Path(directory), organisation_ids, email=settings.AIMWELL_AUDIT_ANCHOR_EMAIL or None
    )
    if reschedule:
        schedule()
    return {"anchored": len(written)}


def scheduled() -> bool:
    return scheduler.waiting(ANCHORS)


def schedule(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the next run unless one is waiting; returns when it will run."""
    return scheduler.schedule(ANCHORS, now)


ANCHORS = scheduler.Recurring(
    "audit anchors",
    anchor_chains,
    lambda now: now + EVERY,
    enabled=lambda: bool(settings.AIMWELL_AUDIT_ANCHOR_DIR),
)
