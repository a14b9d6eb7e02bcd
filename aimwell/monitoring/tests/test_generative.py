"""Monitors of generative-AI systems: an evaluation log (one row per test case) run through the
engine by the same services as prediction logs; pass rates, regressions against a baseline as
breaches, the API, the run page, and refusals of bad configurations and logs."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from aimwell.monitoring import services
from aimwell.monitoring.models import Monitor, MonitorRun, Notification
from aimwell.monitoring.synthetic import assistant_evaluation_log

pytestmark = pytest.mark.django_db

EVAL = {
    "task": "generative",
    "category_column": "category",
    "outcome_column": "verdict",
    "sensitive_columns": ["language"],
    "refusal_column": "refused",
}


@pytest.fixture
def assistant(org: Any, contributor: Any) -> Any:
    from aimwell.inventory import services as inventory
    from aimwell.inventory.models import AISystem

    return inventory.create(
        AISystem,
        org,
        actor="t",
        name="Support assistant",
        purpose="Answer customers in chat",
        owner=contributor.user,
        lifecycle_stage="deployed",
    )


@pytest.fixture
def eval_logs(tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "data" / "eval"
    return {
        "baseline": assistant_evaluation_log(data / "baseline.csv", seed=1, accuracy=0.92),
        "steady": assistant_evaluation_log(data / "steady.csv", seed=2, accuracy=0.92),
        "worse": assistant_evaluation_log(data / "worse.csv", seed=3, accuracy=0.6),
    }


def _counts(path: Path) -> dict[str, tuple[int, int]]:
    """(passed, cases) per category, read with the csv module."""
    out: dict[str, tuple[int, int]] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            k, n = out.get(row["category"], (0, 0))
            out[row["category"]] = (k + (row["verdict"] == "pass"), n + 1)
    return out


def test_evaluation_monitor_runs_and_flags_a_regression(
    assistant: Any, eval_logs: dict[str, Path], catalog: Any
) -> None:
    monitor = services.create_monitor(
        assistant, actor="t", name="Evaluation suite", reference=str(eval_logs["baseline"]), **EVAL
    )
    assert monitor.metrics == ["generative"]
    steady = services.execute_run(
        services.start_run(monitor, actor="t", log=str(eval_logs["steady"]), trusted=True)
    )
    assert steady.status == "succeeded" and not steady.breached, steady.error
    counts = _counts(eval_logs["steady"])
    passed = sum(k for k, _ in counts.values())
    assert steady.summary["pass_rate"] == pytest.approx(passed / 800)
    assert steady.summary["pass_rate_by_category"] == pytest.approx(
        {c: k / n for c, (k, n) in counts.items()}
    )
    assert steady.summary["regressions"] == 0
    assert steady.evidence is not None

    worse = services.execute_run(
        services.start_run(monitor, actor="t", log=str(eval_logs["worse"]), trusted=True)
    )
    # Genuine questions answered correctly fall from 92 % to 60 %: accuracy regresses.
    assert worse.status == "succeeded" and worse.breached and worse.outcome == "alert"
    subjects = {b["subject"] for b in worse.breaches if b["check"] == "generative"}
    assert "accuracy" in subjects
    assert "jailbreak" not in subjects  # adversarial prompts are unchanged
    base, now = _counts(eval_logs["baseline"])["accuracy"], _counts(eval_logs["worse"])["accuracy"]
    accuracy = next(b for b in worse.breaches if b["subject"] == "accuracy")
    assert accuracy["value"] == pytest.approx(now[0] / now[1] - base[0] / base[1])
    assert Notification.objects.filter(run=worse).exists()
    monitor.refresh_from_db()
    assert monitor.is_failing and monitor.last_outcome == "alert"


def test_bad_evaluation_log_makes_no_run(assistant: Any, tmp_path: Path, catalog: Any) -> None:
    monitor = services.create_monitor(assistant, actor="t", name="Evaluation suite", **EVAL)
    bad = tmp_path / "data" / "bad.csv"
    bad.write_text("topic,verdict,language,refused\nfees,pass,en,false\n")
    with pytest.raises(services.MonitoringError, match="category column 'category' not found"):
        services.start_run(monitor, actor="t", log=str(bad), trusted=True)
    unreadable = tmp_path / "data" / "unreadable.csv"
    unreadable.write_text("category,verdict,language,refused\nfees,maybe,en,false\n")
    run = services.start_run(monitor, actor="t", log=str(unreadable), trusted=True)
    run = services.execute_run(run)
    assert run.status == "failed"
    assert "values found: 'maybe'" in run.error and "\n" not in run.error


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({**EVAL, "category_column": ""}, "needs the test category column"),
        ({**EVAL, "label_column": "y"}, "belong to prediction logs"),
        ({**EVAL, "metrics": ["generative", "drift"]}, "computes the metric “generative” only"),
        ({**EVAL, "sensitive_columns": ["language", "region"]}, "at most one group column"),
        ({**EVAL, "outcome_column": "", "score_column": "grade"}, "needs a pass threshold"),
        ({**EVAL, "run_column": "run", "reference": "s3://evals/eval-09.csv"}, "not both"),
        ({"label_column": "y", "metrics": ["generative"]}, "needs the task “generative”"),
    ],
)
def test_inconsistent_evaluation_monitors_are_refused(
    assistant: Any, values: dict[str, Any], message: str
) -> None:
    with pytest.raises(services.MonitoringError, match=message):
        services.create_monitor(assistant, actor="t", name="Evaluation suite", **values)
    assert not Monitor.objects.exists()


def test_api_and_run_page(
    contributor: Any, admin: Any, assistant: Any, eval_logs: dict[str, Path], catalog: Any
) -> None:
    body = {"system_id": str(assistant.pk), "name": "API evaluation", **EVAL}
    created = contributor.api("POST", "/api/v1/monitors", body)
    assert created.status_code == 201, created.content
    monitor = created.json()
    assert monitor["metrics"] == ["generative"] and monitor["category_column"] == "category"
    response = contributor.client.post(
        f"/api/v1/monitors/{monitor['id']}/logs?wait=true",
        {"file": eval_logs["steady"].open("rb")},
        HTTP_X_CSRFTOKEN=contributor.csrf(),
    )
    assert response.status_code == 201, response.content
    run = response.json()
    detail = contributor.api("GET", f"/api/v1/monitor-runs/{run['id']}").json()
    generative = detail["result"]["generative"]
    counts = _counts(eval_logs["steady"])
    assert {c["category"]: (c["passed"], c["n"]) for c in generative["by_category"]} == counts
    page = admin.client.get(
        reverse("monitoring:run", args=[MonitorRun.objects.get().pk])
    ).content.decode()
    assert "Generative-AI evaluation" in page and "jailbreak · language=de" in page
    k, n = counts["privacy-leak"]
    assert f"{k / n:.3f}" in page


def test_form_monitor_page_and_comparison(
    contributor: Any, admin: Any, assistant: Any, eval_logs: dict[str, Path], catalog: Any
) -> None:
    response = contributor.post(
        reverse("monitoring:monitor-new"),
        {
            "system": str(assistant.pk),
            "name": "Form evaluation",
            "source_kind": "upload",
            "task": "generative",
            "category_column": "category",
            "outcome_column": "verdict",
            "refusal_column": "refused",
            "sensitive_columns": "language",
            "attribution_prefix": "shap_",
            "pos_label": "1",
            "decision_threshold": "0.5",
            "min_group_size": "30",
            "metrics": ["generative"],
            "reference": str(eval_logs["baseline"]),
            "thresholds": "generative_pass_gap = 0.05",
            "schedule": "monthly",
            "on_breach": "nothing",
            "breach_level": "alert",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    monitor = Monitor.objects.get(name="Form evaluation")
    assert monitor.task == "generative" and monitor.thresholds == {"generative_pass_gap": 0.05}
    runs = [
        services.execute_run(
            services.start_run(monitor, actor="t", log=str(eval_logs[name]), trusted=True)
        )
        for name in ("steady", "worse")
    ]
    page = admin.client.get(reverse("monitoring:monitor", args=[monitor.pk])).content.decode()
    assert "Evaluation log" in page and "<code>verdict</code>" in page
    assert "Pass rate (generative-AI evaluation)" in page  # the trend chart over the two runs
    url = reverse("monitoring:compare") + f"?a={runs[0].pk}&b={runs[1].pk}"
    page = admin.client.get(url).content.decode()
    assert "pass rate, accuracy" in page and "categories regressed" in page
    run_page = admin.client.get(reverse("monitoring:run", args=[runs[1].pk])).content.decode()
    assert "regression" in run_page and "Against the baseline" in run_page
