"""REST endpoints of monitoring: monitors, log uploads that start runs, runs and their results,
comparisons of two runs, and the owner's notifications."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.inventory.models import AISystem
from aimwell.monitoring import querysets, services, uploads
from aimwell.monitoring.models import Monitor, MonitorRun, Notification
from aimwell.monitoring.schemas import (
    ComparisonOut,
    MonitorIn,
    MonitorOut,
    MonitorPatch,
    NotificationOut,
    RunDetailOut,
    RunIn,
    RunOut,
    RunPage,
)

router = Router(tags=["monitoring"])

UPLOAD_BODY = {
    "requestBody": {
        "description": (
            "The prediction log (CSV or Parquet), either as the request body (streamed to disk; "
            "name it with ?filename=) or as the multipart field `file`."
        ),
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


class RunQuery(Schema):
    status: str | None = None
    breached: bool | None = None
    system_id: uuid.UUID | None = None
    page: int = 1
    page_size: int = 50


def _reader(request: AimwellRequest) -> Membership:
    return require(request.membership, Capability.READ_ALL)


def _monitor(request: AimwellRequest, monitor_id: uuid.UUID, write: bool = False) -> Monitor:
    monitor, _ = get_for_user(
        request.user,
        Monitor.objects.select_related("system", "system__owner"),
        monitor_id,
        organisation=request.organisation,
        write=write,
    )
    return monitor


def _run(request: AimwellRequest, run_id: uuid.UUID, *, full: bool = False) -> MonitorRun:
    qs = MonitorRun.objects.select_related("monitor", "monitor__system")
    run, _ = get_for_user(
        request.user,
        qs if full else qs.defer("result"),
        run_id,
        organisation=request.organisation,
    )
    return run


def receive_log(request: AimwellRequest, organisation_id: Any, filename: str) -> uploads.StoredLog:
    """Stream the log in the request to disk: multipart field `file`, or the raw body."""
    content_type = request.META.get("CONTENT_TYPE", "")
    limit = uploads.max_log_bytes()
    if content_type.startswith("multipart/form-data"):
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit + 64 * 1024:
            raise HttpError(413, str(uploads.too_large(declared, limit)))
        upload = request.FILES.get("file")
        if upload is None:
            raise HttpError(400, "Send the log as the multipart field 'file' or as the body.")
        return uploads.store(
            organisation_id,
            upload.chunks(),
            filename or upload.name or "log.csv",
            limit=limit,
            declared_size=upload.size,
        )
    raw_size = int(request.META.get("CONTENT_LENGTH") or 0) or None
    return uploads.store(
        organisation_id,
        uploads.read_chunks(request),
        filename or "log.csv",
        limit=limit,
        declared_size=raw_size,
    )


def _detail(run: MonitorRun) -> MonitorRun:
    return MonitorRun.objects.defer("result").get(pk=run.pk)


# Monitors --------------------------------------------------------------------------------------


@router.get("/monitors", response=list[MonitorOut], summary="Monitors (optionally of one system)")
def list_monitors(request: AimwellRequest, system_id: uuid.UUID | None = None) -> Any:
    membership = _reader(request)
    qs = querysets.monitors(request.user, membership.organisation)
    if system_id is not None:
        qs = qs.filter(system_id=system_id)
    return list(qs)


@router.post("/monitors", response={201: MonitorOut}, summary="Create a monitor of an AI system")
def create_monitor(request: AimwellRequest, payload: MonitorIn) -> Status[Monitor]:
    _reader(request)
    system, _ = get_for_user(
        request.user,
        AISystem.objects.all(),
        payload.system_id,
        organisation=request.organisation,
        write=True,
    )
    # Unset optional values (metrics, pass threshold) take the defaults of the monitor's task.
    values = payload.model_dump(exclude={"system_id"}, exclude_none=True)
    monitor = services.create_monitor(system, actor=request.user, **values)
    return Status(201, monitor)


@router.get("/monitors/{monitor_id}", response=MonitorOut, summary="One monitor")
def get_monitor(request: AimwellRequest, monitor_id: uuid.UUID) -> Monitor:
    return _monitor(request, monitor_id)


@router.patch("/monitors/{monitor_id}", response=MonitorOut, summary="Change a monitor")
def update_monitor(
    request: AimwellRequest, monitor_id: uuid.UUID, payload: MonitorPatch
) -> Monitor:
    monitor = _monitor(request, monitor_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    return services.update_monitor(monitor, actor=request.user, **changes)


@router.post(
    "/monitors/{monitor_id}/reference",
    response=MonitorOut,
    summary="Upload the reference log (the window drift and data quality compare against)",
    openapi_extra=UPLOAD_BODY,
)
def upload_reference(request: AimwellRequest, monitor_id: uuid.UUID, filename: str = "") -> Monitor:
    monitor = _monitor(request, monitor_id, write=True)
    stored = receive_log(request, monitor.organisation_id, filename)
    return services.set_reference(monitor, stored, actor=request.user)


@router.post(
    "/monitors/{monitor_id}/logs",
    response={201: RunOut},
    summary="Upload a prediction log and start a run (refused before any run if invalid)",
    openapi_extra=UPLOAD_BODY,
)
def upload_log(
    request: AimwellRequest, monitor_id: uuid.UUID, filename: str = "", wait: bool = False
) -> Status[MonitorRun]:
    monitor = _monitor(request, monitor_id, write=True)
    stored = receive_log(request, monitor.organisation_id, filename)
    run = services.start_run(monitor, actor=request.user, stored=stored)
    if wait:
        run = services.execute_run(run)
    return Status(201, _detail(run))


@router.post(
    "/monitors/{monitor_id}/runs",
    response={201: RunOut},
    summary="Start a run on the monitor's source (or a named path/URL)",
)
def start_run(request: AimwellRequest, monitor_id: uuid.UUID, payload: RunIn) -> Status[MonitorRun]:
    monitor = _monitor(request, monitor_id, write=True)
    run = services.start_run(
        monitor,
        actor=request.user,
        log=payload.log or None,
        reference=payload.reference or None,
    )
    if payload.wait:
        run = services.execute_run(run)
    return Status(201, _detail(run))


@router.get("/monitors/{monitor_id}/runs", response=RunPage, summary="Runs of a monitor")
def monitor_runs(
    request: AimwellRequest, monitor_id: uuid.UUID, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    monitor = _monitor(request, monitor_id)
    qs = querysets.runs(request.user, request.organisation, monitor)
    return _page(qs, page, page_size)


def _page(qs: Any, page: int, page_size: int) -> dict[str, Any]:
    size = max(1, min(page_size, 200))
    start = (max(page, 1) - 1) * size
    return {"count": qs.count(), "items": list(qs[start : start + size])}


# Runs ------------------------------------------------------------------------------------------


@router.get("/monitor-runs", response=RunPage, summary="Runs of every monitor (newest first)")
def list_runs(request: AimwellRequest, query: Query[RunQuery]) -> dict[str, Any]:
    membership = _reader(request)
    qs = querysets.runs(request.user, membership.organisation)
    if query.status:
        qs = qs.filter(status=query.status)
    if query.breached is not None:
        qs = qs.filter(breached=query.breached)
    if query.system_id:
        qs = qs.filter(system_id=query.system_id)
    return _page(qs, query.page, query.page_size)


@router.get(
    "/monitor-runs/{run_id}",
    response=RunDetailOut,
    summary="One run with the engine's full result (method, binning, thresholds, sample sizes)",
)
def get_run(request: AimwellRequest, run_id: uuid.UUID) -> MonitorRun:
    return _run(request, run_id, full=True)


@router.get(
    "/monitor-runs/{run_id}/compare/{other_id}",
    response=ComparisonOut,
    summary="Key figures of two runs side by side",
)
def compare_runs(request: AimwellRequest, run_id: uuid.UUID, other_id: uuid.UUID) -> dict[str, Any]:
    a, b = _run(request, run_id), _run(request, other_id)
    return {"a": a, "b": b, "rows": querysets.compare(a, b)}


# Notifications ---------------------------------------------------------------------------------


@router.get(
    "/monitoring/notifications",
    response=list[NotificationOut],
    summary="My monitoring notifications (breaches of the systems I own)",
)
def my_notifications(request: AimwellRequest) -> Any:
    membership = require(request.membership, Capability.READ_ALL)
    return list(querysets.notifications_for(request.user, membership.organisation)[:100])


@router.post(
    "/monitoring/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one of my notifications as read",
)
def read_notification(request: AimwellRequest, notification_id: uuid.UUID) -> Notification:
    note, _ = get_for_user(
        request.user,
        Notification.objects.filter(recipient_id=request.user.pk),
        notification_id,
        organisation=request.organisation,
    )
    return services.mark_read(note, actor=request.user)
