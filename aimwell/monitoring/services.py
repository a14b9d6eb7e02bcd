"""The only writers of monitors, runs and notifications; every write records an audit event.

A run is created only for a log that was validated (readable, has rows, every mapped column with a
usable type), so a bad upload leaves no run behind. `execute_run` runs the assurance engine, keeps
status, progress, duration and errors on the run, records the result as evidence for A.6.2.4,
A.6.2.6, A.7.4 and 9.1, and acts on breaches."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aimwell.catalog.querysets import node_by_urn
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.core.errors import DomainError
from aimwell.evidence import services as evidence_services
from aimwell.inventory.models import AISystem
from aimwell.monitoring import checks, hooks, uploads
from aimwell.monitoring.models import (
    ALL_METRICS,
    PREDICTION_METRICS,
    Metric,
    Monitor,
    MonitorRun,
    Notification,
    OnBreach,
    RunStatus,
    Schedule,
    SourceKind,
    Task,
)
from aimwell.monitoring.uploads import StoredLog

logger = logging.getLogger(__name__)

REQUIREMENTS = (
    "iso42001:2023:A.6.2.4",
    "iso42001:2023:A.6.2.6",
    "iso42001:2023:A.7.4",
    "iso42001:2023:9.1",
)
EVIDENCE_VALID_DAYS = {"manual": 90, "daily": 7, "weekly": 14, "monthly": 45}
WORKER = "monitoring worker"

MONITOR_FIELDS = (
    "name",
    "description",
    "source_kind",
    "source",
    "task",
    "label_column",
    "prediction_column",
    "score_column",
    "sensitive_columns",
    "feature_columns",
    "categorical_columns",
    "timestamp_column",
    "attribution_prefix",
    "pos_label",
    "decision_threshold",
    "min_group_size",
    "category_column",
    "outcome_column",
    "pass_threshold",
    "refusal_column",
    "run_column",
    "metrics",
    "reference",
    "thresholds",
    "schedule",
    "on_breach",
    "breach_level",
    "is_active",
)


class MonitoringError(DomainError):
    """A request about monitoring that cannot be carried out; the message is for the user."""


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in ("sensitive_columns", "feature_columns", "categorical_columns"):
        if key in out:
            out[key] = [str(c).strip() for c in out[key] or [] if str(c).strip()]
    if "metrics" in out:
        metrics = list(out["metrics"] or [])
        unknown = set(metrics) - set(ALL_METRICS)
        if unknown:
            raise MonitoringError(
                f"Unknown metrics {sorted(unknown)}; choose from {', '.join(ALL_METRICS)}."
            )
        if not metrics:
            raise MonitoringError("Choose at least one metric.")
        out["metrics"] = [m for m in ALL_METRICS if m in metrics]
    if "thresholds" in out:
        try:
            out["thresholds"] = checks.check_thresholds(out["thresholds"] or {})
        except checks.MonitorConfigError as exc:
            raise MonitoringError(str(exc)) from exc
    choices = {
        "source_kind": SourceKind.values,
        "schedule": Schedule.values,
        "on_breach": OnBreach.values,
        "breach_level": ["alert", "warning"],
        "task": Task.values,
    }
    for key, allowed in choices.items():
        if key in out and out[key] not in allowed:
            raise MonitoringError(f"{key.replace('_', ' ')} must be one of {', '.join(allowed)}.")
    if "name" in out:
        out["name"] = str(out["name"]).strip()
        if not out["name"]:
            raise MonitoringError("A monitor needs a name.")
    return out


def _check_consistency(monitor: Monitor) -> None:
    try:
        uploads.check_location(monitor.source)
        uploads.check_location(monitor.reference)
    except uploads.UploadError as exc:
        raise MonitoringError(str(exc)) from exc
    if monitor.source_kind in (SourceKind.PATH, SourceKind.URL) and not monitor.source:
        raise MonitoringError("A path or URL source needs its location.")
    if monitor.task == Task.GENERATIVE:
        _check_generative(monitor)
    elif Metric.GENERATIVE in monitor.metrics:
        raise MonitoringError(
            "Generative-AI evaluation needs the task “generative” (an evaluation log)."
        )
    if "fairness" in monitor.metrics and not monitor.sensitive_columns:
        raise MonitoringError("Fairness needs at least one sensitive attribute column.")
    if "drift" in monitor.metrics and not monitor.reference:
        raise MonitoringError("Drift needs a reference log (a path, URL or uploaded reference).")
    if {"performance", "fairness"} & set(monitor.metrics) and not monitor.label_column:
        raise MonitoringError("Performance and fairness need the label column.")
    try:
        checks.spec_for(monitor)
    except checks.MonitorConfigError as exc:
        raise MonitoringError(str(exc)) from exc


def _check_generative(monitor: Monitor) -> None:
    """An evaluation log's monitor computes the generative figures only, from its own columns."""
    if monitor.metrics != [Metric.GENERATIVE]:
        raise MonitoringError(
            "A generative-AI evaluation monitor computes the metric “generative” only."
        )
    if not monitor.category_column:
        raise MonitoringError("A generative-AI evaluation needs the test category column.")
    if len(monitor.sensitive_columns) > 1:
        raise MonitoringError("A generative-AI evaluation takes at most one group column.")
    if monitor.run_column and monitor.reference:
        raise MonitoringError(
            "Compare runs either with a baseline log (the reference) or with a run id column "
            "holding both runs, not both."
        )
    prediction_columns = (monitor.label_column, monitor.prediction_column)
    if any(prediction_columns) or monitor.feature_columns:
        raise MonitoringError(
            "Label, prediction and feature columns belong to prediction logs; a generative-AI "
            "evaluation uses the category, outcome (or score), refusal and run columns."
        )


def _save(monitor: Monitor, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            monitor.save(**kwargs)
    except IntegrityError as exc:
        raise MonitoringError(f"This system already has a monitor named “{monitor.name}”.") from exc


@transaction.atomic
def create_monitor(system: AISystem, *, actor: Any, **values: Any) -> Monitor:
    """A monitor of one AI system from validated values (defaults for the rest)."""
    unknown = set(values) - set(MONITOR_FIELDS)
    if unknown:
        raise TypeError(f"Not monitor fields: {sorted(unknown)}")
    values = _clean(values)
    generative = values.get("task") == Task.GENERATIVE
    values.setdefault("metrics", [Metric.GENERATIVE.value] if generative else PREDICTION_METRICS)
    monitor = Monitor(organisation_id=system.organisation_id, system=system, **values)
    _check_consistency(monitor)
    _save(monitor)
    record_for(
        monitor,
        actor=actor,
        action="monitor.created",
        changes=diff({}, {**snapshot(monitor, MONITOR_FIELDS), "system": str(system.pk)}),
    )
    return monitor


@transaction.atomic
def update_monitor(monitor: Monitor, *, actor: Any, **changes: Any) -> Monitor:
    unknown = set(changes) - set(MONITOR_FIELDS)
    if unknown:
        raise TypeError(f"Not monitor fields: {sorted(unknown)}")
    changes = _clean(changes)
    before = snapshot(monitor, MONITOR_FIELDS)
    for name, value in changes.items():
        setattr(monitor, name, value)
    changed = diff(before, snapshot(monitor, MONITOR_FIELDS))
    if not changed:
        return monitor
    _check_consistency(monitor)
    _save(monitor)
    record_for(monitor, actor=actor, action="monitor.updated", changes=changed)
    return monitor


@transaction.atomic
def set_reference(monitor: Monitor, stored: StoredLog, *, actor: Any) -> Monitor:
    """Use an uploaded log as the monitor's reference window (validated first)."""
    try:
        checks.validate_log(monitor, stored.path, role="reference")
    except (checks.AssuranceError, checks.MonitorConfigError) as exc:
        stored.discard()
        raise MonitoringError(f"The reference log was refused: {checks.first_line(exc)}") from exc
    before = monitor.reference
    monitor.reference = str(stored.path)
    monitor.save(update_fields=["reference", "updated_at"])
    record_for(
        monitor,
        actor=actor,
        action="monitor.reference_set",
        changes={"reference": [before, monitor.reference], "sha256": [None, stored.sha256]},
    )
    return monitor


# Runs -----------------------------------------------------------------------------------------


def _actor_label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(getattr(actor, "email", ""))[:200]
    return str(actor or WORKER)[:200]


def log_location_for(monitor: Monitor, stored: StoredLog | None, log: str | None) -> str:
    if stored is not None:
        return str(stored.path)
    if log:
        return log
    if monitor.source_kind != SourceKind.UPLOAD and monitor.source:
        return monitor.source
    raise MonitoringError("This monitor reads uploaded logs: upload one to start a run.")


def start_run(
    monitor: Monitor,
    *,
    actor: Any,
    stored: StoredLog | None = None,
    log: str | None = None,
    reference: str | None = None,
    trusted: bool = False,
) -> MonitorRun:
    """Validate the log (and reference), then queue a run; nothing is created for a bad log.

    `log` and `reference` named by a user must be object-store URLs or paths under the data
    directory; `trusted=True` (the command line, run by an operator) accepts any path."""
    if not trusted:
        try:
            uploads.check_location(log or "")
            uploads.check_location(reference or "")
        except uploads.UploadError as exc:
            if stored is not None:
                stored.discard()
            raise MonitoringError(str(exc)) from exc
    if not monitor.is_active:
        if stored is not None:
            stored.discard()
        raise MonitoringError("This monitor is paused; resume it before running it.")
    location = log_location_for(monitor, stored, log)
    ref = reference or monitor.reference or ""
    try:
        checks.validate_log(monitor, location)
        if ref and ({"drift", "quality", Metric.GENERATIVE} & set(monitor.metrics)):
            checks.validate_log(monitor, ref, role="reference")
    except (checks.AssuranceError, checks.MonitorConfigError) as exc:
        if stored is not None:
            stored.discard()
        raise MonitoringError(f"The log was refused: {checks.first_line(exc)}") from exc
    return _create_run(monitor, actor=actor, location=location, reference=ref, stored=stored)


@transaction.atomic
def _create_run(
    monitor: Monitor, *, actor: Any, location: str, reference: str, stored: StoredLog | None
) -> MonitorRun:
    locked = Monitor.objects.select_for_update().get(pk=monitor.pk)
    number = locked.run_count + 1
    Monitor.objects.filter(pk=monitor.pk).update(run_count=F("run_count") + 1)
    monitor.run_count = number
    path = Path(location)
    run = MonitorRun.objects.create(
        organisation_id=monitor.organisation_id,
        monitor=monitor,
        system_id=monitor.system_id,
        number=number,
        triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
        triggered_label=_actor_label(actor),
        log_location=location,
        log_name=stored.name if stored else path.name or location[-300:],
        log_size=stored.size if stored else None,
        log_sha256=stored.sha256 if stored else "",
        reference_location=reference,
    )
    record_for(
        run,
        actor=actor,
        action="monitor_run.queued",
        changes={"log": [None, run.log_name], "sha256": [None, run.log_sha256 or None]},
    )
    transaction.on_commit(lambda: enqueue(run))
    return run


def enqueue(run: MonitorRun) -> None:
    """Hand the run to the background worker: django-tasks when configured, otherwise the run
    stays queued for `aimwell monitor worker`."""
    if getattr(settings, "TASKS", None):
        from aimwell.monitoring.tasks import execute_run_task

        execute_run_task.enqueue(str(run.pk))


def _set(run: MonitorRun, **values: Any) -> None:
    for key, value in values.items():
        setattr(run, key, value)
    MonitorRun.objects.filter(pk=run.pk).update(**values, updated_at=timezone.now())


def claim(run: MonitorRun) -> bool:
    """Mark a queued run as running; False if another worker took it first."""
    now = timezone.now()
    taken = MonitorRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, step="reading schema", updated_at=now
    )
    if taken:
        run.status, run.started_at, run.step = RunStatus.RUNNING, now, "reading schema"
    return bool(taken)


def execute_run(
    run: MonitorRun, *, progress: Callable[[str, int], None] | None = None
) -> MonitorRun:
    """Run the engine on the run's log; keep status, progress, duration and errors on the run."""
    if run.status == RunStatus.QUEUED and not claim(run):
        run.refresh_from_db()
        return run
    if run.status != RunStatus.RUNNING:
        return run
    monitor = Monitor.objects.select_related("system", "system__owner").get(pk=run.monitor_id)
    steps = list(checks.STEPS)
    done: list[str] = []
    t0 = time.perf_counter()

    def step(name: str) -> None:
        done.append(name)
        pct = min(95, round(100 * len(done) / (len(steps) + 1)))
        _set(run, progress=pct, step=name.replace("_", " "))
        if progress is not None:
            progress(name, pct)

    try:
        result = checks.run_assessment(
            monitor, run.log_location, run.reference_location or None, step
        )
    except (checks.AssuranceError, checks.MonitorConfigError) as exc:
        return _fail(run, checks.first_line(exc), time.perf_counter() - t0)
    except Exception as exc:  # an engine bug must not leave the run "running" forever
        logger.exception("Monitoring run %s failed", run.pk)
        return _fail(run, f"Unexpected error: {checks.first_line(exc)}", time.perf_counter() - t0)
    run = _finish(run, monitor, result, time.perf_counter() - t0)
    if progress is not None:
        progress("done", 100)
    for listener in hooks.run_listeners():
        try:
            listener(run)
        except Exception:
            logger.exception("A run listener failed for %s", run.pk)
    return run


@transaction.atomic
def _fail(run: MonitorRun, message: str, seconds: float) -> MonitorRun:
    _set(
        run,
        status=RunStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
        duration_seconds=round(seconds, 3),
        step="failed",
    )
    record_for(run, actor=WORKER, action="monitor_run.failed", changes={"error": [None, message]})
    Monitor.objects.filter(pk=run.monitor_id).update(
        last_run_at=run.finished_at, last_outcome="", updated_at=timezone.now()
    )
    return run


@transaction.atomic
def _finish(
    run: MonitorRun, monitor: Monitor, result: dict[str, Any], seconds: float
) -> MonitorRun:
    breaches = checks.find_breaches(result, monitor.breach_level)
    outcome = result.get("status") or "ok"
    _set(
        run,
        status=RunStatus.SUCCEEDED,
        progress=100,
        step="done",
        finished_at=timezone.now(),
        duration_seconds=round(seconds, 3),
        n_rows=result.get("n_rows"),
        outcome=outcome,
        breached=bool(breaches),
        breaches=breaches,
        summary=checks.summarise(result),
        result=result,
    )
    record_for(
        run,
        actor=WORKER,
        action="monitor_run.succeeded",
        changes={"outcome": [None, outcome], "breaches": [0, len(breaches)]},
    )
    run.monitor = monitor
    _record_evidence(run, monitor, result, breaches)
    Monitor.objects.filter(pk=monitor.pk).update(
        last_run_at=run.finished_at,
        last_outcome=outcome,
        is_failing=bool(breaches),
        updated_at=timezone.now(),
    )
    if breaches:
        _act_on_breach(run, monitor, breaches)
    return run


def _record_evidence(
    run: MonitorRun, monitor: Monitor, result: dict[str, Any], breaches: list[dict[str, Any]]
) -> None:
    organisation = monitor.organisation
    nodes = [node_by_urn(organisation, urn) for urn in REQUIREMENTS]
    payload = {
        "ai_system": {"id": str(monitor.system_id), "name": monitor.system.name},
        "monitor": {"id": str(monitor.pk), "name": monitor.name, "metrics": monitor.metrics},
        "run": {
            "id": str(run.pk),
            "number": run.number,
            "log": run.log_name,
            "log_sha256": run.log_sha256 or None,
            "n_rows": run.n_rows,
            "duration_seconds": run.duration_seconds,
            "outcome": run.outcome,
            "breaches": breaches,
        },
        "result": result,
    }
    item = evidence_services.record_product_evidence(
        organisation,
        source="monitoring.run",
        title=f"{monitor.system.name}: {monitor.name} run #{run.number} ({run.outcome})",
        payload=payload,
        actor=WORKER,
        requirement_ids=[n.pk for n in nodes if n is not None],
        links=[("inventory.aisystem", monitor.system_id), ("monitoring.monitorrun", run.pk)],
        valid_days=EVIDENCE_VALID_DAYS.get(monitor.schedule, 90),
    )
    _set(run, evidence=item)
    record_for(
        run,
        actor=WORKER,
        action="monitor_run.evidence_recorded",
        changes={"evidence": [None, str(item.pk)]},
    )


def _act_on_breach(run: MonitorRun, monitor: Monitor, breaches: list[dict[str, Any]]) -> None:
    actions: list[dict[str, Any]] = []
    first = breaches[0]["message"]
    more = f" and {len(breaches) - 1} more" if len(breaches) > 1 else ""
    message = (
        f"{monitor.system.name}: {monitor.name} run #{run.number} breached a threshold: "
        f"{breaches[0]['check']} {breaches[0]['subject']}: {first}{more}."
    )
    owner = monitor.system.owner
    if owner is not None:
        note = Notification.objects.create(
            organisation_id=run.organisation_id, recipient=owner, run=run, message=message
        )
        record_for(
            note,
            actor=WORKER,
            action="monitor_run.owner_notified",
            changes={"recipient": [None, owner.email]},
        )
        actions.append({"kind": "notification", "status": "done", "label": owner.email})
    else:
        actions.append(
            {"kind": "notification", "status": "skipped", "label": "the system has no owner"}
        )
    if monitor.on_breach in hooks.BREACH_KINDS:
        actions.append(_open(monitor.on_breach, run, breaches))
    _set(run, actions=actions)
    record_for(
        run,
        actor=WORKER,
        action="monitor_run.breach_handled",
        changes={"actions": [None, [f"{a['kind']}:{a['status']}" for a in actions]]},
    )


def _open(kind: str, run: MonitorRun, breaches: list[dict[str, Any]]) -> dict[str, Any]:
    handler = hooks.breach_handler(kind)
    if handler is None:
        return {
            "kind": kind,
            "status": "not_available",
            "label": f"no {kind} handler is registered (the operations app is not installed)",
        }
    try:
        with transaction.atomic():
            ref = handler(run, breaches, WORKER)
    except Exception as exc:
        logger.exception("Opening a %s for run %s failed", kind, run.pk)
        return {"kind": kind, "status": "failed", "label": checks.first_line(exc)}
    if not ref:
        return {"kind": kind, "status": "skipped", "label": f"the {kind} handler opened nothing"}
    return {"kind": kind, "status": "done", **{k: str(v) for k, v in ref.items()}}


# Notifications ---------------------------------------------------------------------------------


@transaction.atomic
def mark_read(note: Notification, *, actor: Any) -> Notification:
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at", "updated_at"])
        record_for(note, actor=actor, action="notification.read", changes={"read": [False, True]})
    return note


STALE_AFTER_MINUTES = 120


@transaction.atomic
def fail_stale_runs(now: Any = None) -> int:
    """Runs left running by a worker that stopped (no progress for two hours) are failed."""
    import datetime as dt

    cutoff = (now or timezone.now()) - dt.timedelta(minutes=STALE_AFTER_MINUTES)
    stale = list(
        MonitorRun.objects.filter(status=RunStatus.RUNNING, updated_at__lt=cutoff).defer("result")
    )
    for run in stale:
        seconds = (timezone.now() - run.started_at).total_seconds() if run.started_at else 0.0
        _fail(run, "The worker stopped while this run was running; start it again.", seconds)
    return len(stale)


def due_monitors(now: Any = None) -> list[Monitor]:
    """Active monitors with a path or URL source whose schedule says a run is due."""
    import datetime as dt

    now = now or timezone.now()
    period = {"daily": 1, "weekly": 7, "monthly": 30}
    out = []
    for m in (
        Monitor.objects.filter(is_active=True)
        .exclude(schedule=Schedule.MANUAL)
        .exclude(source_kind=SourceKind.UPLOAD)
    ):
        days = period[m.schedule]
        pending = m.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists()
        if not pending and (
            m.last_run_at is None or m.last_run_at <= now - dt.timedelta(days=days)
        ):
            out.append(m)
    return out
