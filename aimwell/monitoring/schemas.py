"""API schemas of monitoring: monitors, runs (without and with their full result), comparisons."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

MetricName = Literal["performance", "fairness", "drift", "quality", "explain", "generative"]
TaskName = Literal["classification", "regression", "generative"]


class MonitorIn(Schema):
    system_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    source_kind: Literal["upload", "path", "url"] = "upload"
    source: str = Field("", max_length=1000)
    task: TaskName = Field(
        "classification",
        description="generative: an evaluation log of a generative-AI system (one row per test "
        "case), read through the category, outcome or score, refusal and run columns",
    )
    label_column: str = Field("", max_length=200)
    prediction_column: str = Field("", max_length=200)
    score_column: str = Field("", max_length=200)
    sensitive_columns: list[str] = []
    feature_columns: list[str] = []
    categorical_columns: list[str] = []
    timestamp_column: str = Field("", max_length=200)
    attribution_prefix: str = Field("shap_", max_length=50)
    pos_label: str = Field("1", max_length=50)
    decision_threshold: float = Field(0.5, ge=0, le=1)
    min_group_size: int = Field(30, ge=0)
    category_column: str = Field("", max_length=200)
    outcome_column: str = Field("", max_length=200)
    pass_threshold: float | None = Field(
        None, description="With score_column in an evaluation log: a case passes when score >= this"
    )
    refusal_column: str = Field("", max_length=200)
    run_column: str = Field("", max_length=200)
    metrics: list[MetricName] | None = Field(
        None,
        description="Default: every prediction-log metric, or [generative] for an evaluation log",
    )
    reference: str = Field("", max_length=1000)
    thresholds: dict[str, float] = {}
    schedule: Literal["manual", "daily", "weekly", "monthly"] = "manual"
    on_breach: Literal["nothing", "incident", "nonconformity"] = "nothing"
    breach_level: Literal["alert", "warning"] = "alert"


class MonitorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    source_kind: Literal["upload", "path", "url"] | None = None
    source: str | None = Field(None, max_length=1000)
    label_column: str | None = Field(None, max_length=200)
    prediction_column: str | None = Field(None, max_length=200)
    score_column: str | None = Field(None, max_length=200)
    sensitive_columns: list[str] | None = None
    feature_columns: list[str] | None = None
    categorical_columns: list[str] | None = None
    timestamp_column: str | None = Field(None, max_length=200)
    pos_label: str | None = Field(None, max_length=50)
    decision_threshold: float | None = Field(None, ge=0, le=1)
    min_group_size: int | None = Field(None, ge=0)
    category_column: str | None = Field(None, max_length=200)
    outcome_column: str | None = Field(None, max_length=200)
    pass_threshold: float | None = None
    refusal_column: str | None = Field(None, max_length=200)
    run_column: str | None = Field(None, max_length=200)
    metrics: list[MetricName] | None = None
    reference: str | None = Field(None, max_length=1000)
    thresholds: dict[str, float] | None = None
    schedule: Literal["manual", "daily", "weekly", "monthly"] | None = None
    on_breach: Literal["nothing", "incident", "nonconformity"] | None = None
    breach_level: Literal["alert", "warning"] | None = None
    is_active: bool | None = None


class MonitorOut(Schema):
    id: uuid.UUID
    system_id: uuid.UUID
    system_name: str = Field(alias="system.name")
    name: str
    description: str
    source_kind: str
    source: str
    task: str
    label_column: str
    prediction_column: str
    score_column: str
    sensitive_columns: list[str]
    feature_columns: list[str]
    categorical_columns: list[str]
    timestamp_column: str
    pos_label: str
    decision_threshold: float
    min_group_size: int
    category_column: str
    outcome_column: str
    pass_threshold: float | None
    refusal_column: str
    run_column: str
    metrics: list[str]
    reference: str
    thresholds: dict[str, float]
    effective_thresholds: dict[str, float]
    schedule: str
    on_breach: str
    breach_level: str
    is_active: bool
    is_failing: bool
    last_run_at: dt.datetime | None
    last_outcome: str
    run_count: int


class RunOut(Schema):
    id: uuid.UUID
    monitor_id: uuid.UUID
    system_id: uuid.UUID
    number: int
    status: str
    progress: int
    step: str
    error: str
    triggered_label: str
    log_name: str
    log_size: int | None
    log_sha256: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    duration_seconds: float | None
    n_rows: int | None
    outcome: str
    breached: bool
    breaches: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    summary: dict[str, Any]
    evidence_id: uuid.UUID | None
    created_at: dt.datetime


class RunDetailOut(RunOut):
    result: dict[str, Any] | None


class RunIn(Schema):
    log: str = Field("", max_length=1000, description="Path or URL; empty: the monitor's source")
    reference: str = Field("", max_length=1000)
    wait: bool = Field(False, description="Execute now and answer when the run has finished")


class RunPage(Schema):
    count: int
    items: list[RunOut]


class ComparisonRow(Schema):
    figure: str
    a: float | None
    b: float | None
    change: float | None


class ComparisonOut(Schema):
    a: RunOut
    b: RunOut
    rows: list[ComparisonRow]


class NotificationOut(Schema):
    id: uuid.UUID
    run_id: uuid.UUID
    message: str
    created_at: dt.datetime
    read_at: dt.datetime | None
