"""Access checks of the monitoring routes (collected by the role matrix).

The contributor owns the AI system, so they manage its monitors; AIMS managers and admins manage
every monitor; auditors read. Notifications are personal: only their recipient reads them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem
from aimwell.monitoring import checks, services
from aimwell.monitoring.models import Notification
from aimwell.monitoring.synthetic import credit_log
from aimwell.testing import READERS, Check

WRITERS = {"admin", "aims_manager", "contributor"}
_DATA: dict[str, Path] = {}
_RESULT: dict[str, Any] = {}


def _data_dir() -> Path:
    if "dir" not in _DATA:
        _DATA["dir"] = Path(tempfile.mkdtemp(prefix="aimwell-monitoring-access-"))
        _DATA["log"] = credit_log(_DATA["dir"] / "logs" / "access.csv", n=400, seed=5)
        _DATA["csv"] = _DATA["log"]
    settings.DATA_DIR = _DATA["dir"]
    return _DATA["dir"]


def setup(ctx: dict[str, Any]) -> None:
    _data_dir()
    org = ctx["org"]
    owner = ctx["everyone"]["contributor"].user
    system = inventory.create(
        AISystem,
        org,
        actor="t",
        name="Monitored credit scoring",
        purpose="Score loan applications",
        owner=owner,
        lifecycle_stage="deployed",
    )
    monitor = services.create_monitor(
        system,
        actor="t",
        name="Credit fairness",
        label_column="approved",
        prediction_column="predicted",
        score_column="score",
        sensitive_columns=["sex", "age_band"],
        feature_columns=["income"],
        metrics=["performance", "fairness", "quality"],
        thresholds={"min_accuracy": 0.99},
    )
    first, second = _finished(monitor), _finished(monitor)
    ctx.update(
        m_system=system,
        monitor=monitor,
        run=first,
        run2=second,
        notification=Notification.objects.filter(run=first).first(),
    )


def _finished(monitor: Any) -> Any:
    """A finished run through the services; the engine's result is computed once per session
    (the matrix builds this context for every route of every app)."""
    run = services.start_run(monitor, actor="t", log=str(_DATA["log"]))
    services.claim(run)
    if "result" not in _RESULT:
        _RESULT["result"] = checks.run_assessment(monitor, str(_DATA["log"]), None, lambda _: None)
    return services._finish(run, monitor, _RESULT["result"], 0.5)


def _log_file(role: str, c: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"file": SimpleUploadedFile(f"{role}.csv", _DATA["csv"].read_bytes(), "text/csv")}


def _web_log(role: str) -> dict[str, Any]:
    return {"file": "", "log": SimpleUploadedFile(f"{role}.csv", _DATA["csv"].read_bytes())}


def _m(c: dict[str, Any]) -> str:
    return str(c["monitor"].pk)


def _r(c: dict[str, Any]) -> str:
    return str(c["run"].pk)


WEB: dict[str, Check | str] = {
    "monitoring:home": Check("GET", lambda c: reverse("monitoring:home"), READERS, False),
    "monitoring:monitor-new": Check(
        "GET", lambda c: reverse("monitoring:monitor-new"), WRITERS, False
    ),
    "monitoring:monitor": Check(
        "GET", lambda c: reverse("monitoring:monitor", args=[_m(c)]), READERS, True
    ),
    "monitoring:monitor-edit": Check(
        "GET", lambda c: reverse("monitoring:monitor-edit", args=[_m(c)]), WRITERS, True
    ),
    "monitoring:monitor-upload": Check(
        "POST",
        lambda c: reverse("monitoring:monitor-upload", args=[_m(c)]),
        WRITERS,
        True,
        body=_web_log,
        ok=302,
    ),
    "monitoring:monitor-reference": Check(
        "POST",
        lambda c: reverse("monitoring:monitor-reference", args=[_m(c)]),
        WRITERS,
        True,
        body=_web_log,
        ok=302,
    ),
    "monitoring:monitor-run": Check(
        "POST", lambda c: reverse("monitoring:monitor-run", args=[_m(c)]), WRITERS, True, ok=302
    ),
    "monitoring:run": Check(
        "GET", lambda c: reverse("monitoring:run", args=[_r(c)]), READERS, True
    ),
    "monitoring:run-result": Check(
        "GET", lambda c: reverse("monitoring:run-result", args=[_r(c)]), READERS, True
    ),
    "monitoring:compare": Check("GET", lambda c: reverse("monitoring:compare"), READERS, False),
    "monitoring:notification-read": Check(
        "POST",
        lambda c: reverse("monitoring:notification-read", args=[c["notification"].pk]),
        {"contributor"},
        True,
        ok=302,
        personal=True,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/monitors"): Check("GET", lambda c: "/api/v1/monitors", READERS, False),
    ("POST", "/api/v1/monitors"): Check(
        "POST",
        lambda c: "/api/v1/monitors",
        WRITERS,
        True,
        body=lambda role, c: {
            "system_id": str(c["m_system"].pk),
            "name": f"Monitor by {role}",
            "label_column": "approved",
            "prediction_column": "predicted",
            "metrics": ["performance"],
        },
        ok=201,
    ),
    ("GET", "/api/v1/monitors/{monitor_id}"): Check(
        "GET", lambda c: f"/api/v1/monitors/{_m(c)}", READERS, True
    ),
    ("PATCH", "/api/v1/monitors/{monitor_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/monitors/{_m(c)}",
        WRITERS,
        True,
        body=lambda role: {"description": f"checked by {role}"},
    ),
    ("POST", "/api/v1/monitors/{monitor_id}/reference"): Check(
        "POST", lambda c: f"/api/v1/monitors/{_m(c)}/reference", WRITERS, True, body=_log_file
    ),
    ("POST", "/api/v1/monitors/{monitor_id}/logs"): Check(
        "POST", lambda c: f"/api/v1/monitors/{_m(c)}/logs", WRITERS, True, body=_log_file, ok=201
    ),
    ("POST", "/api/v1/monitors/{monitor_id}/runs"): Check(
        "POST",
        lambda c: f"/api/v1/monitors/{_m(c)}/runs",
        WRITERS,
        True,
        body=lambda role: {"log": str(_DATA["log"])},
        ok=201,
    ),
    ("GET", "/api/v1/monitors/{monitor_id}/runs"): Check(
        "GET", lambda c: f"/api/v1/monitors/{_m(c)}/runs", READERS, True
    ),
    ("GET", "/api/v1/monitor-runs"): Check("GET", lambda c: "/api/v1/monitor-runs", READERS, False),
    ("GET", "/api/v1/monitor-runs/{run_id}"): Check(
        "GET", lambda c: f"/api/v1/monitor-runs/{_r(c)}", READERS, True
    ),
    ("GET", "/api/v1/monitor-runs/{run_id}/compare/{other_id}"): Check(
        "GET",
        lambda c: f"/api/v1/monitor-runs/{_r(c)}/compare/{c['run2'].pk}",
        READERS,
        True,
    ),
    ("GET", "/api/v1/monitoring/notifications"): Check(
        "GET", lambda c: "/api/v1/monitoring/notifications", READERS, False
    ),
    ("POST", "/api/v1/monitoring/notifications/{notification_id}/read"): Check(
        "POST",
        lambda c: f"/api/v1/monitoring/notifications/{c['notification'].pk}/read",
        {"contributor"},
        True,
        personal=True,
    ),
}
