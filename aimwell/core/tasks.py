"""The hourly anchoring of the audit chains on the worker's queue (django-tasks).

Like the daily reminders, the task queues its next run when it has run, so one
`aimwell audit anchor --schedule` starts the cycle and the worker keeps it going. It writes to
AIMWELL_AUDIT_ANCHOR_DIR (and mails AIMWELL_AUDIT_ANCHOR_EMAIL when set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from aimwell.core import anchors
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
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=anchor_chains.module_path, status="READY").exists()


def schedule(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the next run unless one is waiting; returns when it will run."""
    if scheduled():
        return None
    when = (now or timezone.now()) + EVERY
    anchor_chains.using(run_after=when).enqueue()
    return when
