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
    selected_by: list[SelectedByOut] = Field(
        description="The first selecting risks by reference (`top` of them); "
        "`/api/v1/risks?control=<key>` lists them all."
    )
    selected_count: int = Field(description="How many open risks' treatments select it.")
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


class IsmsCoverOut(Schema):
    """An ISMS control of the imported ISO/IEC 27001 baseline that covers part of a 42001 one."""

    ref: str = Field(..., description="ISO/IEC 27001:2022 Annex A control, e.g. 5.15")
    title: str
    relationship: str = Field(..., description="Crosswalk relationship (equal, intersects...)")
    applicable: bool | None = Field(..., description="As the ISMS SoA decided; null undecided")
    status: str = Field(..., description="implemented, partial, planned or not_started")
    evidence: str = Field(..., description="What the imported 27001 SoA says the ISMS keeps")
    evidence_current: int = Field(
        ..., description="Current evidence items linked to the 27001 control (counted, not named)"
    )
    evidence_stale: int


class CheckOut(Schema):
    label: str
    result: float = Field(..., description="1 met, 0 not met, in between partly")


class ReadinessItemOut(Schema):
    """A clause requirement or an applicable control of the gap analysis."""

    ref: str
    title: str
    kind: str = Field(..., description="requirement, control (Annex A) or own")
    status: ReadinessStatus
    computed: ReadinessStatus
    override_reason: str | None
    baseline_maturity: int | None
    baseline_practice: str | None
    impact: int
    effort: str
    priority: int
    checks: list[CheckOut]
    next_steps: list[str]
    evidence_current: int = Field(
        ..., description="Distinct current evidence items behind it, ISMS evidence included"
    )
    evidence_stale: int
    evidence_from_isms: int = Field(
        ..., description="Of those, items reached only through the ISMS controls covering it"
    )
    isms: list[IsmsCoverOut] = Field(
        ..., description="ISMS controls of the 27001 baseline covering part of it (crosswalk)"
    )


class ReadinessOut(Schema):
    score: float
    formula: str
    components: list[dict[str, Any]]
    counts: dict[str, int]
    clauses: list[dict[str, Any]]
    requirements: list[ReadinessItemOut]
    controls: list[ReadinessItemOut]
    top_gaps: list[ReadinessItemOut]
    stages: list[dict[str, Any]]
    open_nonconformities: int
    trend: list[dict[str, Any]]
    computed_at: dt.datetime = Field(
        description="When these figures were computed: they are kept until the next write."
    )


class SnapshotOut(Schema):
    id: uuid.UUID
    score: float
    components: dict[str, Any]
    counts: dict[str, Any]
    created_at: dt.datetime
