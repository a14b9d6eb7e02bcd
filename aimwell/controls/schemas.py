"""API schemas of the SoA, the baseline and readiness."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.controls.models import ImplementationStatus, ReadinessStatus


class SelectedByOut(Schema):
    risk_id: uuid.UUID
    reference: str
    title: str


class SoARowOut(Schema):
    key: str
    ref: str
    title: str
    group: str
    applicable: bool | None
    decided: bool | None
    justification: str
    derived_justification: str
    free_justification: str
    obligations: str
    status: str
    owner: str | None
    selected_by: list[SelectedByOut]
    eu_obligations: list[str]
    evidence_current: int
    evidence_stale: int
    inconsistencies: list[str]
    entry_id: uuid.UUID | None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return getattr(obj.owner, "email", None)

    @staticmethod
    def resolve_entry_id(obj: Any) -> Any:
        return obj.entry.pk if obj.entry is not None else None


class SoAOut(Schema):
    summary: dict[str, int]
    rows: list[SoARowOut]


class SoAPatch(Schema):
    applicable: bool | None = None
    justification: str | None = Field(None, max_length=5000)
    obligations: str | None = Field(None, max_length=5000)
    status: ImplementationStatus | None = None
    owner_email: str | None = None


class CustomControlIn(Schema):
    code: str = Field(..., min_length=1, max_length=30)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)


class CustomControlOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    description: str


class VersionIn(Schema):
    note: str = Field("", max_length=500)


class VersionOut(Schema):
    id: uuid.UUID
    number: int
    status: str
    note: str
    created_by: str = Field(..., alias="created_by_label")
    created_at: dt.datetime
    approved_by: str = Field(..., alias="approved_by_label")
    approved_at: dt.datetime | None


class VersionDetailOut(VersionOut):
    rows: list[dict[str, Any]]


class DiffOut(Schema):
    older: int
    newer: int
    changes: list[dict[str, Any]]


class BaselineIn(Schema):
    maturity: int = Field(..., ge=0, le=5)
    practice: str = Field("", max_length=5000)
    notes: str = Field("", max_length=5000)


class BaselineOut(Schema):
    ref: str
    title: str
    kind: str
    maturity: int | None
    practice: str
    notes: str
    recorded_by: str


class OverrideIn(Schema):
    status: ReadinessStatus | None = Field(None, description="Empty removes the override")
    reason: str = Field("", max_length=500)


class ReadinessOut(Schema):
    score: float
    formula: str
    components: list[dict[str, Any]]
    counts: dict[str, int]
    clauses: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    controls: list[dict[str, Any]]
    top_gaps: list[dict[str, Any]]
    stages: list[dict[str, Any]]
    open_nonconformities: int
    trend: list[dict[str, Any]]


class SnapshotOut(Schema):
    id: uuid.UUID
    score: float
    components: dict[str, Any]
    counts: dict[str, Any]
    created_at: dt.datetime
