"""The worker's one scheduler. Recurring work (daily reminders, due monitors and the stale-run
sweep, audit anchors, registry syncs) is a django-tasks task that, when it has run, queues its
next run on the database queue; apps register each such job here from `AppConfig.ready`, and
`aimwell worker` queues every job that has no run waiting before it starts processing the queue.
The clock is a parameter everywhere, so tests say when "now" is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Recurring:
    """A task that runs again and again: `next_run(now)` says when its next run is due, and
    `enabled()` whether the installation wants it at all (an anchor directory is set, ...)."""

    name: str
    task: Any  # a django_tasks Task
    next_run: Callable[[dt.datetime], dt.datetime]
    enabled: Callable[[], bool] = lambda: True


_JOBS: dict[str, Recurring] = {}


def register(job: Recurring) -> None:
    _JOBS[job.name] = job


def jobs() -> list[Recurring]:
    return list(_JOBS.values())


def waiting(job: Recurring) -> bool:
    """Is a run of the job already queued (and not yet started)?"""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=job.task.module_path, status="READY").exists()


def schedule(job: Recurring, now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the job's next run unless one is waiting; returns when it will run."""
    if not job.enabled() or waiting(job):
        return None
    when = job.next_run(now or timezone.now())
    job.task.using(run_after=when).enqueue()
    return when


def ensure_scheduled(now: dt.datetime | None = None) -> dict[str, dt.datetime | None]:
    """Queue every registered job that has no run waiting: job name -> when it runs (None when
    one was already waiting or the job is not enabled)."""
    return {job.name: schedule(job, now) for job in jobs()}
