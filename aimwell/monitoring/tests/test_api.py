"""The monitoring API: create a monitor, upload logs (raw body or multipart), refusals before any
run, results with their method and thresholds, comparisons, and constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.monitoring import services
from aimwell.monitoring.models import MonitorRun

from .conftest import MAPPING

pytestmark = pytest.mark.django_db


def _upload(actor: Any, monitor: Any, data: bytes, name: str = "log.csv", wait: bool = True) -> Any:
    return actor.client.post(
        f"/api/v1/monitors/{monitor.pk}/logs?filename={name}&wait={'true' if wait else 'false'}",
        data=data,
        content_type="application/octet-stream",
        HTTP_X_CSRFTOKEN=actor.csrf(),
    )


def test_owner_creates_a_monitor_and_runs_an_uploaded_log(contributor, system, logs, catalog):
    body = {
        "system_id": str(system.pk),
        "name": "API monitor",
        "metrics": ["performance", "fairness"],
        **MAPPING,
    }
    created = contributor.api("POST", "/api/v1/monitors", body)
    assert created.status_code == 201, created.content
    monitor = created.json()
    assert monitor["effective_thresholds"]["four_fifths"] == 0.8
    assert monitor["effective_thresholds"]["psi_alert"] == 0.25
    response = contributor.client.post(
        f"/api/v1/monitors/{monitor['id']}/logs?wait=true",
        {"file": logs["unfair"].open("rb")},
        HTTP_X_CSRFTOKEN=contributor.csrf(),
    )
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "succeeded" and run["breached"] and run["evidence_id"]
    detail = contributor.api("GET", f"/api/v1/monitor-runs/{run['id']}").json()
    fairness = detail["result"]["fairness"]
    assert fairness["thresholds"]["four_fifths"] == 0.8 and fairness["min_group_size"] == 30
    assert detail["result"]["performance"]["n"] == 3000


def test_raw_body_upload_and_queue_for_the_worker(manager, monitor, logs):
    response = _upload(manager, monitor, logs["fair"].read_bytes(), wait=False)
    assert response.status_code == 201
    assert response.json()["status"] == "queued"
    run = MonitorRun.objects.get()
    services.execute_run(run)
    assert MonitorRun.objects.get().status == "succeeded"


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"", 400, "empty"),
        (
            b"approved,predicted,sex,age_band,income,debt_ratio\n1,1,f,18-29,1,0.1\n",
            400,
            "'score' not found",
        ),
        (
            b"approved,predicted,score,sex,age_band,income,debt_ratio\n1,1,x,f,18-29,1,0.1\n",
            400,
            "expected numeric",
        ),
    ],
    ids=["empty", "missing-column", "mistyped-column"],
)
def test_bad_uploads_are_refused_before_any_run(admin, monitor, data, status, message):
    response = _upload(admin, monitor, data)
    assert response.status_code == status
    assert message in response.json()["message"]
    assert not MonitorRun.objects.exists()


def test_upload_over_the_limit_is_refused(admin, monitor, monkeypatch):
    monkeypatch.setenv("AIMWELL_MONITORING_MAX_LOG_MB", "1")
    response = _upload(admin, monitor, b"a,b\n" + b"1,2\n" * 300_000)
    assert response.status_code == 413
    assert "limit of 1 MB" in response.json()["message"]
    assert not MonitorRun.objects.exists()


def test_wrong_file_type_and_foreign_paths(admin, monitor):
    response = _upload(admin, monitor, b"%PDF-1.4", name="report.pdf")
    assert response.status_code == 400 and "CSV or Parquet" in response.json()["message"]
    response = admin.api("POST", f"/api/v1/monitors/{monitor.pk}/runs", {"log": "/etc/passwd"})
    assert response.status_code == 400 and "data directory" in response.json()["message"]


def test_auditor_reads_but_cannot_run(internal_auditor, monitor, logs):
    assert internal_auditor.api("GET", f"/api/v1/monitors/{monitor.pk}").status_code == 200
    assert _upload(internal_auditor, monitor, logs["fair"].read_bytes()).status_code == 403


def test_compare_two_runs(admin, monitor, logs):
    a = services.execute_run(services.start_run(monitor, actor="t", log=str(logs["fair"])))
    b = services.execute_run(services.start_run(monitor, actor="t", log=str(logs["unfair"])))
    body = admin.api("GET", f"/api/v1/monitor-runs/{a.pk}/compare/{b.pk}").json()
    rows = {r["figure"]: r for r in body["rows"]}
    ratio = rows["selection-rate ratio, age_band"]
    assert ratio["a"] > 0.8 > ratio["b"] and ratio["change"] < 0


def _many_runs(monitor: Any, count: int) -> None:
    template = services.execute_run(
        services.start_run(monitor, actor="t", log=str(monitor.reference))
    )
    from django.db.models import Max

    from aimwell.monitoring.models import Monitor

    top = MonitorRun.objects.filter(monitor=monitor).aggregate(n=Max("number"))["n"]
    MonitorRun.objects.bulk_create(
        [
            MonitorRun(
                organisation_id=monitor.organisation_id,
                monitor=monitor,
                system_id=monitor.system_id,
                number=top + i + 1,
                status="succeeded",
                log_location=template.log_location,
                log_name=template.log_name,
                outcome=template.outcome,
                breached=i % 7 == 0,
                breaches=template.breaches,
                summary=template.summary,
                result=template.result,
                n_rows=template.n_rows,
                finished_at=template.finished_at,
            )
            for i in range(count)
        ]
    )
    Monitor.objects.filter(pk=monitor.pk).update(run_count=top + count)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/monitor-runs", "/api/v1/monitors", "/api/v1/monitors/{m}/runs"],
)
def test_list_endpoints_keep_a_constant_query_count(admin, monitor, url):
    path = url.replace("{m}", str(monitor.pk))
    _many_runs(monitor, 5)
    admin.api("GET", path)
    with CaptureQueriesContext(connection) as few:
        assert admin.api("GET", path).status_code == 200
    _many_runs(monitor, 300)
    with CaptureQueriesContext(connection) as many:
        assert admin.api("GET", path).status_code == 200
    assert len(many) == len(few)
