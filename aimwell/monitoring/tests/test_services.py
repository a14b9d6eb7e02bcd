"""Monitors and runs end to end on real logs: evidence, breaches, notifications, hooks, errors."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from aimwell.core.models import AuditEvent
from aimwell.evidence.models import EvidenceItem, EvidenceLink
from aimwell.monitoring import hooks, services, uploads
from aimwell.monitoring.models import Monitor, MonitorRun, Notification

pytestmark = pytest.mark.django_db


def _run(monitor: Any, log: Path, **kw: Any) -> MonitorRun:
    run = services.start_run(monitor, actor="t", log=str(log), **kw)
    return services.execute_run(run)


def test_fair_log_passes_and_becomes_evidence(monitor, logs):
    run = _run(monitor, logs["fair"])
    assert run.status == "succeeded" and run.progress == 100
    assert run.outcome in ("ok", "warning") and not run.breached and run.breaches == []
    assert run.n_rows == 3000 and run.duration_seconds > 0
    assert run.result["fairness"]["interval_method"].startswith("wilson")
    assert run.result["drift"]["features"][0]["binning"]
    assert run.summary["dp_ratio_min"] > 0.8
    item = EvidenceItem.objects.get(pk=run.evidence_id)
    assert item.source == "monitoring.run" and item.sha256
    assert sorted(item.requirements.values_list("urn", flat=True)) == sorted(services.REQUIREMENTS)
    targets = set(
        EvidenceLink.objects.filter(evidence=item).values_list("target_type", "target_id")
    )
    assert ("inventory.aisystem", monitor.system_id) in targets
    assert ("monitoring.monitorrun", run.pk) in targets
    monitor.refresh_from_db()
    assert monitor.last_outcome == run.outcome and not monitor.is_failing and monitor.run_count == 1
    actions = set(AuditEvent.objects.filter(object_id=str(run.pk)).values_list("action", flat=True))
    assert {
        "monitor_run.queued",
        "monitor_run.succeeded",
        "monitor_run.evidence_recorded",
    } <= actions


def test_four_fifths_breach_marks_notifies_and_records_missing_handler(monitor, logs, contributor):
    run = _run(monitor, logs["unfair"])
    assert run.breached and run.outcome == "alert"
    age = next(b for b in run.breaches if b["subject"] == "age_band")
    assert "four-fifths" in age["message"] and age["group"] == "age_band=60+"
    note = Notification.objects.get(run=run)
    assert note.recipient == contributor.user and "Consumer credit scoring" in note.message
    kinds = {a["kind"]: a["status"] for a in run.actions}
    assert kinds["notification"] == "done"
    assert Monitor.objects.get(pk=monitor.pk).is_failing


@pytest.fixture
def handlers():
    saved = dict(hooks._HANDLERS)
    yield hooks._HANDLERS
    hooks._HANDLERS.clear()
    hooks._HANDLERS.update(saved)


def test_registered_incident_handler_is_called_with_the_breaches(monitor, logs, handlers):
    opened: list[Any] = []

    def open_incident(run: Any, breaches: list[dict[str, Any]], actor: Any) -> dict[str, Any]:
        opened.append((run.pk, len(breaches)))
        return {"id": "INC-1", "label": f"Incident for run #{run.number}"}

    hooks.register_breach_handler("incident", open_incident)
    run = _run(monitor, logs["unfair"])
    assert opened == [(run.pk, len(run.breaches))]
    incident = next(a for a in run.actions if a["kind"] == "incident")
    assert incident["status"] == "done" and incident["id"] == "INC-1"


def test_without_handler_the_breach_says_so(monitor, logs, handlers):
    hooks.unregister_breach_handler("incident")
    run = _run(monitor, logs["unfair"])
    incident = next(a for a in run.actions if a["kind"] == "incident")
    assert incident["status"] == "not_available"


def test_run_listener_hears_every_finished_run(monitor, logs):
    heard: list[Any] = []
    hooks.register_run_listener(heard.append)
    try:
        run = _run(monitor, logs["fair"])
    finally:
        hooks.unregister_run_listener(heard.append)
    assert [r.pk for r in heard] == [run.pk]


def test_drift_against_the_reference(monitor, logs):
    run = _run(monitor, logs["drifted"])
    income = next(b for b in run.breaches if b["check"] == "drift")
    assert income["subject"] == "income" and income["value"] >= 0.25
    assert run.summary["psi"]["income"] >= 0.25


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"approved,predicted,score,sex,age_band,income,debt_ratio\n", "no rows"),
        (b"approved,predicted,sex,age_band,income,debt_ratio\n1,1,f,18-29,1,0.1\n", "score"),
        (
            b"approved,predicted,score,sex,age_band,income,debt_ratio\n1,1,high,f,18-29,1,0.1\n",
            "expected numeric",
        ),
    ],
    ids=["empty", "header-only", "missing-column", "mistyped-column"],
)
def test_bad_logs_are_refused_before_any_run(monitor, content, message, tmp_path):
    before = AuditEvent.objects.count()
    with pytest.raises((services.MonitoringError, uploads.UploadError)) as caught:
        stored = uploads.store(monitor.organisation_id, [content], "bad.csv")
        services.start_run(monitor, actor="t", stored=stored)
    assert message in str(caught.value)
    assert not MonitorRun.objects.exists()
    assert AuditEvent.objects.count() == before
    assert not any(p.is_file() for p in uploads.logs_dir().rglob("*"))


def test_oversized_stream_is_cut_off_and_removed(monitor):
    endless = (b"x" * 65536 for _ in itertools.count())
    with pytest.raises(uploads.UploadError) as caught:
        uploads.store(monitor.organisation_id, endless, "huge.csv", limit=5 * 1024 * 1024)
    assert caught.value.status == 413 and "limit" in str(caught.value)
    assert not any(p.is_file() for p in uploads.logs_dir().rglob("*"))
    assert not MonitorRun.objects.exists()


def test_unreadable_log_at_run_time_fails_the_run_with_a_message(monitor, logs, tmp_path):
    run = services.start_run(monitor, actor="t", log=str(logs["fair"]))
    Path(logs["fair"]).write_bytes(b"PAR1 not really parquet")
    Path(logs["fair"]).rename(logs["fair"].with_suffix(".bak"))
    run = services.execute_run(run)
    assert run.status == "failed" and "not found" in run.error
    assert run.finished_at is not None and run.evidence_id is None


def test_paths_outside_the_data_dir_and_web_urls_are_refused(monitor):
    with pytest.raises(services.MonitoringError, match="data directory"):
        services.start_run(monitor, actor="t", log="/etc/passwd")
    with pytest.raises(services.MonitoringError, match="not accepted"):
        services.update_monitor(monitor, actor="t", source="http://169.254.169.254/x.csv")


def test_configuration_is_checked(system, catalog):
    with pytest.raises(services.MonitoringError, match="sensitive"):
        services.create_monitor(system, actor="t", name="m", label_column="y", metrics=["fairness"])
    with pytest.raises(services.MonitoringError, match="Unknown thresholds"):
        services.create_monitor(
            system, actor="t", name="m", label_column="y", metrics=["performance"],
            thresholds={"nope": 1},
        )  # fmt: skip
    m = services.create_monitor(
        system, actor="t", name="m", label_column="y", prediction_column="p",
        metrics=["performance"], thresholds={"four_fifths": 0.9, "min_accuracy": 0.7},
    )  # fmt: skip
    assert m.effective_thresholds["four_fifths"] == 0.9
    assert m.effective_thresholds["psi_alert"] == 0.25


def test_performance_floor_is_a_breach(monitor, logs):
    services.update_monitor(monitor, actor="t", thresholds={"min_accuracy": 0.99})
    run = _run(monitor, logs["fair"])
    assert any(b["check"] == "performance" for b in run.breaches)


def test_worker_claims_a_run_once(monitor, logs):
    run = services.start_run(monitor, actor="t", log=str(logs["fair"]))
    assert services.claim(run)
    assert not services.claim(MonitorRun.objects.get(pk=run.pk))


def test_timestamp_column_gives_the_window_the_evidence_covers(monitor, tmp_path):
    import polars as pl

    log = uploads.logs_dir() / "dated.csv"
    log.parent.mkdir(parents=True, exist_ok=True)
    frame = pl.read_csv(str(monitor.reference)).head(500)
    days = [f"2026-10-{1 + i % 28:02d}" for i in range(frame.height)]
    frame.with_columns(pl.Series("decided_on", days)).write_csv(log)
    services.update_monitor(monitor, actor="t", timestamp_column="decided_on")
    run = _run(monitor, log)
    assert run.summary["window"] == {"start": "2026-10-01", "end": "2026-10-28"}


def test_stale_running_runs_are_failed(monitor, logs):
    import datetime as dt

    from django.utils import timezone

    run = services.start_run(monitor, actor="t", log=str(logs["fair"]))
    services.claim(run)
    later = timezone.now() + dt.timedelta(hours=3)
    assert services.fail_stale_runs(later) == 1
    run.refresh_from_db()
    assert run.status == "failed" and "worker stopped" in run.error


def test_scheduled_path_monitors_fall_due(monitor, logs):
    import datetime as dt

    from django.utils import timezone

    services.update_monitor(
        monitor, actor="t", source_kind="path", source=str(logs["fair"]), schedule="daily"
    )
    assert services.due_monitors() == [monitor]
    _run(monitor, logs["fair"])
    assert services.due_monitors() == []
    assert services.due_monitors(timezone.now() + dt.timedelta(days=2)) == [monitor]


def test_queued_run_is_handed_to_the_task_queue(monitor, logs, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from aimwell.monitoring.tasks import execute_run_task

    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(monitor, actor="t", log=str(logs["fair"]))
    queued = DBTaskResult.objects.get(task_path=execute_run_task.module_path)
    assert queued.args_kwargs["args"] == [str(run.pk)]
    # What the queue's worker calls (its loop closes connections, which a test transaction
    # cannot survive on PostgreSQL); a second delivery of the same task changes nothing.
    assert execute_run_task.call(*queued.args_kwargs["args"]) == "succeeded"
    assert execute_run_task.call(*queued.args_kwargs["args"]) == "succeeded"
    assert MonitorRun.objects.get().evidence_id is not None


def test_a_monitoring_run_is_held_as_the_results_9_1_asks_to_retain(monitor, logs):
    from aimwell.documents.querysets import checklist

    org = monitor.system.organisation

    def row_9_1():
        return next(r for r in checklist(org) if r.node.ref_id == "9.1")

    assert row_9_1().state == "missing"  # no document, no measurement, no run yet
    _run(monitor, logs["fair"])
    row = row_9_1()
    assert row.state == "held"
    assert row.records.label == (
        "1 result of monitoring and measurement (AI objectives, monitoring runs)"
    )
