"""Work of the integrations on the worker's queue (django-tasks, `aimwell worker`): one task per
webhook delivery attempt, and the periodic MLflow registry sync, which queues its next run when it
has run (like the daily reminders); `aimwell worker` queues the first (aimwell.core.scheduler)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django_tasks import task

from aimwell.core import scheduler
from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.models import MlflowConnection
from aimwell.integrations.services import delivery, mlflow_sync

logger = logging.getLogger(__name__)


@task()
def deliver_webhook(delivery_id: str) -> dict[str, Any]:
    done = delivery.attempt(delivery_id)
    if done is None:
        return {"delivery": delivery_id, "status": "gone"}
    return {"delivery": delivery_id, "status": done.status, "attempts": done.attempts}


def sync_all() -> dict[str, Any]:
    """Sync every active MLflow connection; one failing server does not stop the others."""
    results: dict[str, Any] = {}
    for connection in MlflowConnection.objects.filter(is_active=True).select_related(
        "organisation"
    ):
        try:
            results[connection.organisation.slug] = mlflow_sync.sync(connection).as_dict()
        except IntegrationError as exc:
            logger.warning("MLflow sync of %s failed: %s", connection.organisation.slug, exc)
            results[connection.organisation.slug] = {"error": str(exc)}
    return results


@task()
def periodic_mlflow_sync(reschedule: bool = True) -> dict[str, Any]:
    results = sync_all()
    if reschedule:
        schedule()
    return results


def _interval() -> dt.timedelta:
    return dt.timedelta(minutes=max(5, settings.AIMWELL_MLFLOW_SYNC_MINUTES))


def scheduled() -> bool:
    return scheduler.waiting(MLFLOW_SYNC)


def schedule(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the next periodic sync unless one is waiting; returns when it will run."""
    return scheduler.schedule(MLFLOW_SYNC, now)


MLFLOW_SYNC = scheduler.Recurring(
    "MLflow registry sync", periodic_mlflow_sync, lambda now: now + _interval()
)


@task()
def sync_organisation(organisation_id: str) -> dict[str, Any]:
    """One organisation's sync, queued from its MLflow page or the API."""
    connection = MlflowConnection.objects.filter(organisation_id=organisation_id).first()
    if connection is None:
        return {"error": "no MLflow connection"}
    try:
        return mlflow_sync.sync(connection).as_dict()
    except IntegrationError as exc:
        return {"error": str(exc)}
