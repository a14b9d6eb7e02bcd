"""API schemas of the life-cycle records and change requests: explicit fields in and out."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from aimwell.lifecycle.choices import (
    AcceptanceKind,
    ApproverDesignation,
    Comparison,
    CriterionKind,
)

Text = Field("", max_length=10000)


class RequirementsIn(Schema):
    intended_purpose: str = Field(..., min_length=1, max_length=10000)
    intended_users: str = Text
    functional_requirements: str = Text
    performance_requirements: str = Text
    fairness_requirements: str = Text
    robustness_requirements: str = Text
    constraints: str = Text
    legal_requirements: str = Text


class DesignIn(Schema):
    architecture: str = Field(..., min_length=1, max_length=10000)
    model_choices: str = Text
    assumptions: str = Text
    build_tooling: str = Text
    compute: str = Text
    human_oversight_design: str = Text
    alternatives_rejected: str = Text
    standards_applied: str = Text
    dataset_ids: list[uuid.UUID] | None = Field(None, max_length=200)


class LoggingPolicyIn(Schema):
    events_logged: str = Field(..., min_length=1, max_length=10000)
    storage_location: str = Field(..., min_length=1, max_length=300)
    retention_days: int = Field(..., ge=1, le=36500)
    access_control: str = Text


class PlanIn(Schema):
    scope: str = Text
    method: str = Text


class CriterionIn(Schema):
    key: str = Field(..., min_length=1, max_length=40)
    kind: CriterionKind
    metric: str = Field(..., min_length=1, max_length=80)
    comparison: Comparison
    threshold: float = Field(..., allow_inf_nan=False)
    group: str = Field("", max_length=200)
    description: str = Field("", max_length=500)


class ResultIn(Schema):
    criterion_id: uuid.UUID
    value: float | None = Field(None, allow_inf_nan=False)
    monitor_run_id: uuid.UUID | None = None
    measured_on: dt.date | None = None
    note: str = Field("", max_length=500)


class AcceptanceIn(Schema):
    criterion_id: uuid.UUID
    kind: AcceptanceKind
    likelihood: int = Field(..., ge=1, le=20)
    consequence: int = Field(..., ge=1, le=20)
    rationale: str = Field(..., min_length=1, max_length=5000)


class ApproveIn(Schema):
    model_id: uuid.UUID
    note: str = Field("", max_length=500)


class NoteIn(Schema):
    note: str = Field("", max_length=500)


class SettingsIn(Schema):
    approver_designation: ApproverDesignation


class SettingsOut(Schema):
    approver_designation: str
    choices: dict[str, str]


class RecordOut(Schema):
    id: uuid.UUID
    status: str
    version: int
    owner: str | None
    approved_by: str
    approved_at: dt.datetime | None
    updated_at: dt.datetime
    content: dict[str, object]


class CriterionOut(Schema):
    id: uuid.UUID
    key: str
    kind: str
    metric: str
    comparison: str
    threshold: float
    group: str
    description: str
    status: str
    latest_value: float | None
    latest_measured_on: dt.date | None
    acceptance: str | None


class PlanOut(Schema):
    id: uuid.UUID
    scope: str
    method: str
    frozen_at: dt.datetime | None
    frozen_by: str
    criteria_sha256: str
    intact: bool | None
    outcome: str
    criteria: list[CriterionOut]


class PreconditionOut(Schema):
    key: str
    name: str
    met: bool
    detail: str


class ApprovalOut(Schema):
    id: uuid.UUID
    number: int
    model_id: uuid.UUID
    model: str
    approved_by: str
    approved_at: dt.datetime
    designation: str
    note: str


class GateOut(Schema):
    system_id: uuid.UUID
    system: str
    open: bool
    missing: list[str]
    preconditions: list[PreconditionOut]
    approval: ApprovalOut | None
    approval_state: str
    approval_reason: str


class SystemLifecycleOut(Schema):
    system_id: uuid.UUID
    system: str
    lifecycle_stage: str
    requirements: RecordOut | None
    design: RecordOut | None
    logging_policy: RecordOut | None
    vv_plan: PlanOut | None
    gate: GateOut
    open_changes: int


class SystemSummaryOut(Schema):
    system_id: uuid.UUID
    system: str
    lifecycle_stage: str
    requirements: str
    design: str
    vv_outcome: str
    logging_policy: bool
    approval_state: str
    gate_open: bool
    missing: list[str]
    open_changes: int


class ResultOut(Schema):
    id: uuid.UUID
    criterion: str
    value: float
    passed: bool
    measured_on: dt.date
    monitor_run_id: uuid.UUID | None


class AcceptanceOut(Schema):
    id: uuid.UUID
    criterion: str
    kind: str
    residual_level: int
    accepted_by: str
    accepted_at: dt.datetime
