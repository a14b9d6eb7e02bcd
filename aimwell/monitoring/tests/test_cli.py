"""`aimwell monitor run` and `aimwell monitor worker` on real logs."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.monitoring import services
from aimwell.monitoring.models import MonitorRun

pytestmark = pytest.mark.django_db


def test_monitor_run_prints_the_outcome_and_breaches(org, monitor, logs):
    result = CliRunner().invoke(
        app,
        [
            "monitor", "run", "--system", "Consumer credit scoring", "--organisation", org.slug,
            "--log", str(logs["unfair"]), "--reference", str(logs["reference"]),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Run #1: alert" in result.output and "four-fifths" in result.output
    run = MonitorRun.objects.get()
    assert run.status == "succeeded" and run.reference_location == str(logs["reference"])


def test_monitor_run_refuses_a_bad_log_with_exit_2(org, monitor, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("approved,predicted\n1,1\n")
    result = CliRunner().invoke(
        app,
        ["monitor", "run", "--system", str(monitor.system_id), "--organisation", org.slug,
         "--log", str(bad)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not found" in result.output and not MonitorRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_worker_once_executes_queued_runs(monitor, logs):
    """A run started and committed is a task on the queue; the one worker (`aimwell worker`, and
    its old name `aimwell monitor worker`) executes it."""
    services.start_run(monitor, actor="t", log=str(logs["fair"]))
    result = CliRunner().invoke(app, ["monitor", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert MonitorRun.objects.get().status == "succeeded"
    services.start_run(monitor, actor="t", log=str(logs["fair"]))
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert [r.status for r in MonitorRun.objects.order_by("number")] == ["succeeded", "succeeded"]
