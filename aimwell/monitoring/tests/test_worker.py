"""The one worker runs monitors on their schedule: its scheduler queues the monitoring tick
beside the other recurring jobs, and the tick, given a clock, starts the demo's monthly monitor
only once a month has passed since its last run."""

from __future__ import annotations

import datetime as dt

from django_tasks_db.models import DBTaskResult

from aimwell.core import scheduler
from aimwell.monitoring.models import Monitor, MonitorRun
from aimwell.monitoring.tasks import monitoring_tick, tick
from aimwell.notifications.tasks import daily_reminders

CREDIT_MONITOR = "Credit decisions: fairness, performance and drift"


def test_the_scheduler_queues_each_recurring_job_once(db):
    now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    queued = scheduler.ensure_scheduled(now)
    # The tick every five minutes; the reminders at the next 06:00 (the test time zone is UTC).
    assert queued["monitors"] == dt.datetime(2026, 3, 2, 9, 35, tzinfo=dt.UTC)
    assert queued["reminders"] == dt.datetime(2026, 3, 3, 6, 0, tzinfo=dt.UTC)
    assert queued["audit anchors"] is None  # AIMWELL_AUDIT_ANCHOR_DIR is not set in the tests
    ticks = DBTaskResult.objects.filter(task_path=monitoring_tick.module_path, status="READY")
    assert [t.run_after for t in ticks] == [queued["monitors"]]
    assert DBTaskResult.objects.filter(task_path=daily_reminders.module_path).count() == 1
    # Asked again (the worker restarted), nothing is queued twice.
    assert set(scheduler.ensure_scheduled(now).values()) == {None}
    assert ticks.count() == 1


def test_the_demo_monitor_runs_when_a_month_has_passed(demo_org):
    monitor = Monitor.objects.get(system__organisation=demo_org, name=CREDIT_MONITOR)
    assert monitor.schedule == "monthly" and monitor.last_run_at is not None
    before = set(MonitorRun.objects.filter(monitor=monitor).values_list("pk", flat=True))

    report = tick(now=monitor.last_run_at + dt.timedelta(days=29, hours=23))
    assert not MonitorRun.objects.filter(monitor=monitor).exclude(pk__in=before).exists()
    assert report["stale_failed"] == 0

    report = tick(now=monitor.last_run_at + dt.timedelta(days=30))
    new = MonitorRun.objects.filter(monitor=monitor).exclude(pk__in=before).get()
    assert new.status == "queued"
    assert str(new.pk) in report["started"]
    # A run is waiting: the next tick does not start another.
    tick(now=monitor.last_run_at + dt.timedelta(days=30, minutes=5))
    assert MonitorRun.objects.filter(monitor=monitor).exclude(pk__in=before).count() == 1
