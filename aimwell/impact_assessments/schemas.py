"""API schemas of AI system impact assessments."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.risks.schemas import FlagOut

Text = Field("", max_length=5000)


class ImpactArea(Schema):
    description: str = Field("", max_length=5000)
    severity: int | None = Field(None, ge=1, le=5)
    likelihood: int | None = Field(None, ge=1, le=5)
    mitigation: str = Field("", max_length=5000)
    residual_severity: int | None = Field(None, ge=1, le=5)


class ImpactIn(Schema):
    system_id: uuid.UUID
    title: str | None = Field(None, min_length=1, max_length=200)
    intended_use: str | None = Field(None, max_length=5000)
    foreseeable_misuse: str | None = Field(None, max_length=5000)
    affected_individuals: str | None = Field(None, max_length=5000)
    affected_groups: str = Text
    vulnerable_groups: str | None = Field(None, max_length=5000)
    societal_reach: str = Text
    impacts: dict[str, ImpactArea] = Field(default_factory=dict)
    overall_residual: str = Text
    reassessment_triggers: str = Text
    fria: dict[str, str] = Field(default_factory=dict)
    dpia_required: bool | None = None
    dpia_reference: str = Field("", max_length=300)
    owner_email: str | None = None
    next_review_date: dt.date | None = None


class ImpactPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    intended_use: str | None = Field(None, max_length=5000)
    foreseeable_misuse: str | None = Field(None, max_length=5000)
    affected_individuals: str | None = Field(None, max_length=5000)
    affected_groups: str | None = Field(None, max_length=5000)
    vulnerable_groups: str | None = Field(None, max_length=5000)
    societal_reach: str | None = Field(None, max_length=5000)
    impacts: dict[str, ImpactArea] | None = None
    overall_residual: str | None = Field(None, max_length=5000)
    reassessment_triggers: str | None = Field(None, max_length=5000)
    fria: dict[str, str] | None = None
    dpia_required: bool | None = None
    dpia_reference: str | None = Field(None, max_length=300)
    owner_email: str | None = None
    next_review_date: dt.date | None = None


class ImpactOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    system: str
    system_id: uuid.UUID
    status: str
    fria_required: bool
    dpia_required: bool | None
    next_review_date: dt.date | None
    review_overdue: bool
    needs_review: bool = False
    approved_by: str = Field(..., alias="approved_by_label")
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_system(obj: Any) -> str:
        if isinstance(obj, dict):
            return obj["system"]  # type: ignore[no-any-return]
        return str(obj.system.name)


class ImpactDetailOut(ImpactOut):
    intended_use: str
    foreseeable_misuse: str
    affected_individuals: str
    affected_groups: str
    vulnerable_groups: str
    societal_reach: str
    impacts: dict[str, Any]
    significant_areas: list[str]
    overall_residual: str
    reassessment_triggers: str
    fria: dict[str, str]
    dpia_reference: str
    owner: str | None
    approval_problems: list[str]
    derived_risks: list[str]
    review_flags: list[FlagOut]


class RiskFromImpactIn(Schema):
    area: str = Field(..., max_length=40)
