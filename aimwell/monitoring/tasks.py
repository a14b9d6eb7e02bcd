"""Monitoring work on the worker's queue (django-tasks): one task per run, and the recurring tick
that fails runs a stopped worker left running and starts the scheduled monitors that are due. The
tick queues its next run when it has run (aimwell.core.scheduler), so `aimwell worker` runs
monitors on their schedule without a loop of its own."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from aimwell.core import scheduler

logger = logging.getLogger(__name__)
# How often due monitors are looked for; schedules are daily at the finest.
EVERY = dt.timedelta(minutes=5)


@task()
def execute_run_task(run_id: str) -> str:
    from aimwell.monitoring.models import MonitorRun
    from aimwell.monitoring.services import execute_run

    run = MonitorRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    return execute_run(run).status


def tick(now: dt.datetime | None = None) -> dict[str, Any]:
    """Fail the runs left running by a stopped worker, then queue a run of every monitor whose
    schedule says one is due at `now` (each run is executed by its own task)."""
    from aimwell.monitoring.services import (
        MonitoringError,
        due_monitors,
        fail_stale_runs,
        start_run,
    )

    now = now or timezone.now()
    stale = fail_stale_runs(now)
    started, refused = [], []
    for monitor in due_monitors(now):
        try:
            run = start_run(monitor, actor="schedule", trusted=True)
        except MonitoringError as exc:
            logger.warning("%s: %s: %s", monitor.system.name, monitor.name, exc)
            refused.append(str(monitor.pk))
        else:
            started.append(str(run.pk))
    return {"stale_failed": stale, "started": started, "refused": refused}


@task()
def monitoring_tick(reschedule: bool = True) -> dict[str, Any]:
    report = tick()
    if reschedule:
        scheduler.schedule(MONITORING)
    return report


MONITORING = scheduler.Recurring("monitors", monitoring_tick, lambda now: now + EVERY)
