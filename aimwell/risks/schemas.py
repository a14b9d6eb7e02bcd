"""API schemas of the risks app: explicit fields in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.risks.choices import ActionStatus, TreatmentOption

Text = Field("", max_length=5000)


class ScaleStep(Schema):
    value: int = Field(..., ge=1, le=10)
    label: str = Field(..., min_length=1, max_length=60)
    description: str = Field("", max_length=500)


class Dimension(Schema):
    key: str = Field(..., min_length=1, max_length=40, pattern=r"^[a-z_]+$")
    label: str = Field(..., min_length=1, max_length=80)
    description: str = Field("", max_length=500)


class Band(Schema):
    name: str = Field(..., min_length=1, max_length=40)
    min: int = Field(..., ge=1)
    colour: str = Field("#eef2f6", pattern=r"^#[0-9a-fA-F]{6}$")


class MethodIn(Schema):
    name: str = Field("AI risk method", min_length=1, max_length=200)
    description: str = Text
    likelihood_scale: list[ScaleStep] | None = None
    consequence_scale: list[ScaleStep] | None = None
    dimensions: list[Dimension] | None = None
    matrix: list[list[int]] | None = None
    bands: list[Band] | None = None
    acceptance_threshold: int | None = Field(None, ge=1)
    review_interval_days: int | None = Field(None, ge=7, le=1095)
    change_note: str = Field("", max_length=500)


class MethodOut(Schema):
    id: uuid.UUID
    name: str
    version: int
    description: str
    likelihood_scale: list[dict[str, Any]]
    consequence_scale: list[dict[str, Any]]
    dimensions: list[dict[str, Any]]
    matrix: list[list[int]]
    bands: list[dict[str, Any]]
    acceptance_threshold: int
    review_interval_days: int
    is_current: bool
    change_note: str
    created_by: str = Field(..., alias="created_by_label")
    created_at: dt.datetime


class Rating(Schema):
    rating: int | None = Field(None, ge=1, le=10)
    description: str = Field("", max_length=1000)


class RiskIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Text
    system_id: uuid.UUID | None = None
    risk_source: str | None = Field(None, description="Annex C risk source, e.g. C.3.3")
    custom_source: str = Field("", max_length=200)
    objective: str | None = Field(None, description="Annex C objective, e.g. C.2.5")
    objective_text: str = Field("", max_length=300)
    causes: str = Text
    consequences: dict[str, Rating]
    likelihood: int = Field(..., ge=1, le=10)
    existing_controls: str = Text
    owner_email: str | None = None
    review_date: dt.date | None = None


class RiskPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    system_id: uuid.UUID | None = None
    risk_source: str | None = None
    custom_source: str | None = Field(None, max_length=200)
    objective: str | None = None
    objective_text: str | None = Field(None, max_length=300)
    causes: str | None = Field(None, max_length=5000)
    existing_controls: str | None = Field(None, max_length=5000)
    owner_email: str | None = None
    review_date: dt.date | None = None


class ReassessIn(Schema):
    likelihood: int = Field(..., ge=1, le=10)
    consequences: dict[str, Rating]
    note: str = Field("", max_length=500)


class TreatmentIn(Schema):
    option: TreatmentOption
    plan: str = Text


class ResidualIn(Schema):
    likelihood: int = Field(..., ge=1, le=10)
    consequence: int = Field(..., ge=1, le=10)
    note: str = Field("", max_length=500)


class AcceptIn(Schema):
    note: str = Field("", max_length=500)


class CloseIn(Schema):
    note: str = Field(..., min_length=1, max_length=500)


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Text
    owner_email: str | None = None
    due_date: dt.date | None = None


class ActionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    owner_email: str | None = None
    due_date: dt.date | None = None
    status: ActionStatus | None = None


class ActionOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    owner: str | None
    due_date: dt.date | None
    status: str
    is_overdue: bool
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner_id else None


class SelectIn(Schema):
    control: str = Field(..., description="An Annex A control (e.g. A.6.2.4) or an own code")
    rationale: str = Field("", max_length=300)


class SelectedOut(Schema):
    id: uuid.UUID
    control: str
    rationale: str

    @staticmethod
    def resolve_control(obj: Any) -> str:
        return str(obj)


class AssessmentOut(Schema):
    kind: str
    method: str
    likelihood: int
    consequence: int
    level: int
    note: str
    assessed_by: str = Field(..., alias="assessed_by_label")
    created_at: dt.datetime

    @staticmethod
    def resolve_method(obj: Any) -> str:
        return str(obj.method)


class FlagOut(Schema):
    id: uuid.UUID
    reason: str
    created_at: dt.datetime


class RiskOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    system: str | None
    system_id: uuid.UUID | None
    source: str
    objective: str
    status: str
    owner: str | None
    method_version: int
    inherent_likelihood: int
    inherent_consequence: int
    inherent_level: int
    inherent_band: str
    treatment_option: str
    residual_likelihood: int | None
    residual_consequence: int | None
    residual_level: int | None
    review_date: dt.date | None
    review_overdue: bool
    needs_review: bool = False

    @staticmethod
    def resolve_system(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["system"]
        return obj.system.name if obj.system_id else None

    @staticmethod
    def resolve_source(obj: Any) -> str:
        if isinstance(obj, dict):
            return obj["source"]
        return str(obj.source_label)

    @staticmethod
    def resolve_objective(obj: Any) -> str:
        if isinstance(obj, dict):
            return obj["objective"]
        return str(obj.objective_label)

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["owner"]
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_method_version(obj: Any) -> int:
        if isinstance(obj, dict):
            return obj["method_version"]
        return int(obj.method.version)

    @staticmethod
    def resolve_inherent_band(obj: Any) -> str:
        if isinstance(obj, dict):
            return obj["inherent_band"]
        return str(obj.method.band(obj.inherent_level)["name"])


class RiskDetailOut(RiskOut):
    description: str
    causes: str
    consequences: dict[str, Any]
    existing_controls: str
    treatment_plan: str
    accepted_by: str = Field(..., alias="accepted_by_label")
    accepted_at: dt.datetime | None
    accepted_level: int | None
    acceptance_note: str
    actions: list[ActionOut]
    controls: list[SelectedOut]
    history: list[AssessmentOut]
    review_flags: list[FlagOut]


class RiskPage(Schema):
    count: int
    page: int
    pages: int
    items: list[RiskOut]


class HeatCell(Schema):
    likelihood: int
    consequence: int
    level: int
    count: int
    band: str


class HeatMapOut(Schema):
    method_version: int | None
    residual: bool
    cells: list[HeatCell]


class ApproveIn(Schema):
    note: str = Field("", max_length=500)
