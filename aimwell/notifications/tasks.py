"""The daily reminder task on the database-backed queue (django-tasks).

`send_reminders` does the work and is tested directly; this task wraps it and, when it has run,
queues itself for the next morning; `aimwell worker` queues the first run (aimwell.core.scheduler)
and keeps the cycle going."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from aimwell.core import scheduler
from aimwell.notifications.reminders import send_reminders

RUN_AT = dt.time(6, 0)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next 06:00 (server time zone) after `now`."""
    now = timezone.localtime(now or timezone.now())
    candidate = now.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + dt.timedelta(days=1)


@task()
def daily_reminders(on_date: str | None = None, reschedule: bool = True) -> dict[str, Any]:
    day = dt.date.fromisoformat(on_date) if on_date else timezone.localdate()
    report = send_reminders(day)
    if reschedule:
        schedule()
    return {
        "date": day.isoformat(),
        "items": len(report.items),
        "notifications": len(report.notifications),
        "emails": report.emails,
    }


def scheduled() -> bool:
    """Is a daily run already waiting in the queue?"""
    return scheduler.waiting(DAILY_REMINDERS)


def schedule(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the next daily run unless one is waiting; returns when it will run."""
    return scheduler.schedule(DAILY_REMINDERS, now)


DAILY_REMINDERS = scheduler.Recurring("reminders", daily_reminders, next_run)
