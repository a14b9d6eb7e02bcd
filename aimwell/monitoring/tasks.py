"""The background task that executes a run when django-tasks is configured (settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def execute_run_task(run_id: str) -> str:
    from aimwell.monitoring.models import MonitorRun
    from aimwell.monitoring.services import execute_run

    run = MonitorRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    return execute_run(run).status
