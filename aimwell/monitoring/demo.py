"""Demo data: monitors of Meridian Lending's credit scoring, fraud detection and CV screening, with
runs on generated prediction logs (20,000 rows each, under the data directory), and of its
support assistant (an LLM) on generated runs of its evaluation suite, all executed by the same
function the worker uses. The latest credit-scoring month has a real selection-rate disparity
against applicants over 60: that run breaches the four-fifths rule, notifies the owner and opens
an incident. Everything shown is what the runs produced. Idempotent: monitors that already have
runs are left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from aimwell.monitoring import services
from aimwell.monitoring.models import Monitor
from aimwell.monitoring.synthetic import (
    assistant_evaluation_log,
    credit_log,
    cv_screening_log,
    fraud_log,
)

ROWS = 20_000


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "monitoring" / "demo"


def _system(org: Any, name: str) -> Any:
    from aimwell.inventory.models import AISystem

    return AISystem.objects.filter(organisation=org, name=name).first()


def _monitor(system: Any, name: str, **values: Any) -> Monitor | None:
    existing = Monitor.objects.filter(system=system, name=name).first()
    if existing is not None:
        return None if existing.run_count else existing
    return services.create_monitor(system, actor="demo", name=name, **values)


def _run(monitor: Monitor, log: Path) -> None:
    run = services.start_run(monitor, actor="demo", log=str(log), trusted=True)
    services.execute_run(run)


def _credit(org: Any, result: Any) -> None:
    system = _system(org, "Consumer credit scoring")
    if system is None:
        return
    folder = _folder()
    reference = credit_log(folder / "credit-validation-2026-q2.csv", n=ROWS, seed=101)
    monitor = _monitor(
        system,
        "Credit decisions: fairness, performance and drift",
        description="Monthly prediction log of the credit-scoring model; approval-rate parity "
        "across sex and age bands (four-fifths rule), accuracy and drift against the Q2 "
        "validation sample.",
        label_column="approved",
        prediction_column="predicted",
        score_column="score",
        sensitive_columns=["sex", "age_band"],
        feature_columns=["income", "debt_ratio"],
        metrics=["performance", "fairness", "drift", "quality"],
        reference=str(reference),
        thresholds={"min_accuracy": 0.65},
        schedule="monthly",
        on_breach="incident",
        # The worker reads the latest month's decisions on the monthly schedule.
        source_kind="path",
        source=str(folder / "credit-predictions-2026-10.csv"),
    )
    if monitor is None:
        return
    months = [("2026-08", 0.0, 0.0), ("2026-09", 0.02, 0.05), ("2026-10", 0.16, 0.08)]
    for i, (month, disparity, shift) in enumerate(months):
        log = credit_log(
            folder / f"credit-predictions-{month}.csv",
            n=ROWS,
            seed=200 + i,
            disparity=disparity,
            shift=shift,
        )
        _run(monitor, log)
    result.created.append("credit-scoring monitor with 3 runs")


def _fraud(org: Any, result: Any) -> None:
    system = _system(org, "Card fraud detection")
    if system is None:
        return
    folder = _folder()
    reference = fraud_log(folder / "fraud-reference-2026-07.csv", n=ROWS, seed=301)
    monitor = _monitor(
        system,
        "Fraud model: performance and drift",
        description="Weekly transactions scored by the fraud model, compared with July.",
        label_column="is_fraud",
        prediction_column="flagged",
        score_column="fraud_score",
        feature_columns=["amount", "hour", "channel"],
        metrics=["performance", "drift", "quality"],
        reference=str(reference),
        schedule="weekly",
        on_breach="nonconformity",
    )
    if monitor is None:
        return
    for i, shift in enumerate((0.0, 0.35)):
        log = fraud_log(folder / f"fraud-predictions-week-{i + 1}.csv", n=ROWS, seed=310 + i,
                        amount_shift=shift)  # fmt: skip
        _run(monitor, log)
    result.created.append("fraud-detection monitor with 2 runs")


def _cv_screening(org: Any, result: Any) -> None:
    """CV screening is high-risk (Annex III point 4(a)) and Meridian deploys it: its shortlisting
    is watched monthly for selection-rate parity and agreement with recruiters."""
    system = _system(org, "CV screening")
    if system is None:
        return
    folder = _folder()
    reference = cv_screening_log(folder / "cv-screening-reference-2026-q2.csv", n=ROWS, seed=401)
    monitor = _monitor(
        system,
        "CV screening: shortlisting parity and agreement with recruiters",
        description="Monthly log of applications screened by the vendor's model, with the "
        "recruiter's own assessment; selection-rate parity across sex and age bands "
        "(four-fifths rule) and drift against the Q2 sample.",
        label_column="suitable",
        prediction_column="shortlisted",
        score_column="match_score",
        sensitive_columns=["sex", "age_band"],
        feature_columns=["years_experience"],
        metrics=["performance", "fairness", "drift", "quality"],
        reference=str(reference),
        schedule="monthly",
        on_breach="incident",
    )
    if monitor is None:
        return
    _run(monitor, cv_screening_log(folder / "cv-screening-2026-10.csv", n=ROWS, seed=410))
    result.created.append("CV-screening monitor with 1 run")


def _support_assistant(org: Any, result: Any) -> None:
    """The support assistant is an LLM: no prediction log, but a monthly run of its evaluation
    suite (customer questions and adversarial prompts in three languages), compared with the
    previous month's run. October's run follows the daily synchronisation of fee tables into
    the knowledge base (the lesson of the repayment-fee incident)."""
    system = _system(org, "Customer support assistant")
    if system is None:
        return
    folder = _folder()
    baseline = assistant_evaluation_log(
        folder / "support-assistant-eval-2026-09.csv", seed=501, accuracy=0.86
    )
    monitor = _monitor(
        system,
        "Support assistant: evaluation suite",
        description="Monthly run of 800 test prompts (customer questions with known answers; "
        "harmful-content, privacy-leak and jailbreak prompts) in English, German and French, "
        "graded pass/fail; pass and refusal rates by category and language, compared with the "
        "previous month's run.",
        task="generative",
        category_column="category",
        outcome_column="verdict",
        sensitive_columns=["language"],
        refusal_column="refused",
        metrics=["generative"],
        reference=str(baseline),
        schedule="monthly",
        on_breach="incident",
    )
    if monitor is None:
        return
    _run(
        monitor,
        assistant_evaluation_log(
            folder / "support-assistant-eval-2026-10.csv", seed=510, accuracy=0.92
        ),
    )
    result.created.append("support-assistant evaluation monitor with 1 run")


def _monitoring(result: Any) -> None:
    from aimwell.demo import demo_organisation

    org = demo_organisation()
    _credit(org, result)
    _fraud(org, result)
    _cv_screening(org, result)
    _support_assistant(org, result)


STEPS = [_monitoring]
