"""API schemas of the inventory: explicit fields in and out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aimwell.inventory.choices import (
    Autonomy,
    DecisionImpact,
    DueDiligence,
    EUOperatorRole,
    LifecycleStage,
    ModelOrigin,
    OversightMode,
    ResourceKind,
)

Text = Field("", max_length=5000)


class Ref(Schema):
    id: uuid.UUID
    name: str


class ReviewFlagOut(Schema):
    id: uuid.UUID
    subject_type: str
    subject_id: str
    subject_label: str
    reason: str
    raised_by: str = Field(..., alias="raised_by_label")
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolution_note: str


class SystemIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    purpose: str = Field(..., min_length=1, max_length=5000)
    intended_use: str = Text
    foreseeable_misuse: str = Text
    owner_email: str | None = None
    business_unit: str = Field("", max_length=120)
    lifecycle_stage: LifecycleStage = LifecycleStage.IDEA
    deployment_context: str = Text
    geography: str = Field("", max_length=200)
    users: str = Text
    affected_persons: str = Text
    vulnerable_groups: str = Text
    autonomy: Autonomy = Autonomy.ASSISTIVE
    oversight_mode: OversightMode = OversightMode.IN_THE_LOOP
    decision_impact: DecisionImpact = DecisionImpact.LOW
    eu_roles: list[EUOperatorRole] | None = Field(
        None, description="every EU AI Act role the organisation holds for the system"
    )
    eu_role: EUOperatorRole | None = Field(
        None, description="one role (older clients); eu_roles takes precedence"
    )
    in_scope: bool = True
    scope_reason: str = Field("", max_length=500)


class SystemPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    intended_use: str | None = Field(None, max_length=5000)
    foreseeable_misuse: str | None = Field(None, max_length=5000)
    owner_email: str | None = None
    business_unit: str | None = Field(None, max_length=120)
    lifecycle_stage: LifecycleStage | None = None
    deployment_context: str | None = Field(None, max_length=5000)
    geography: str | None = Field(None, max_length=200)
    users: str | None = Field(None, max_length=5000)
    affected_persons: str | None = Field(None, max_length=5000)
    vulnerable_groups: str | None = Field(None, max_length=5000)
    autonomy: Autonomy | None = None
    oversight_mode: OversightMode | None = None
    decision_impact: DecisionImpact | None = None
    eu_roles: list[EUOperatorRole] | None = Field(
        None, description="every EU AI Act role the organisation holds; [] for none"
    )
    eu_role: EUOperatorRole | None = Field(
        None, description="one role (older clients): replaces the roles with it"
    )
    in_scope: bool | None = None
    scope_reason: str | None = Field(None, max_length=500)


class SystemOut(Schema):
    id: uuid.UUID
    name: str
    purpose: str
    owner_email: str | None
    business_unit: str
    lifecycle_stage: str
    eu_role: str = Field(..., description="the first of eu_roles in the Act's order")
    eu_roles: list[str]
    in_scope: bool
    risk_class: str | None = None

    @staticmethod
    def resolve_risk_class(obj: Any) -> str | None:
        value = obj.get("risk_class") if isinstance(obj, dict) else obj.risk_class
        return value or None

    model_count: int = 0
    dataset_count: int = 0
    open_reviews: int = 0
    updated_at: dt.datetime

    @staticmethod
    def resolve_owner_email(obj: Any) -> str | None:
        if isinstance(obj, dict):  # an already-resolved detail payload
            return obj.get("owner_email")
        return obj.owner.email if obj.owner_id else None


class ClassificationBrief(Schema):
    id: uuid.UUID
    risk_class: str
    legal_basis: list[str]
    duties: list[str]
    ruleset_version: str
    rules_current: bool = True
    decided_by: str
    created_at: dt.datetime
    is_current: bool
    needs_review: bool = False

    @staticmethod
    def resolve_ruleset_version(obj: Any) -> str:
        return obj.ruleset.version

    @staticmethod
    def resolve_rules_current(obj: Any) -> bool:
        from aimwell.classification.services import newer_rules

        return newer_rules(obj) is None

    @staticmethod
    def resolve_decided_by(obj: Any) -> str:
        return obj.decided_by_label


class SystemDetailOut(SystemOut):
    intended_use: str
    foreseeable_misuse: str
    deployment_context: str
    geography: str
    users: str
    affected_persons: str
    vulnerable_groups: str
    autonomy: str
    oversight_mode: str
    decision_impact: str
    scope_reason: str
    models: list[Ref]
    datasets: list[Ref]
    suppliers: list[Ref]
    resources: list[ResourceOut]
    review_flags: list[ReviewFlagOut]
    classification: ClassificationBrief | None


class ResourceIn(Schema):
    kind: ResourceKind
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Text


class ResourceOut(ResourceIn):
    id: uuid.UUID


class ModelIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    version: str = Field(..., min_length=1, max_length=50)
    model_type: str = Field("", max_length=100)
    origin: ModelOrigin
    supplier_id: uuid.UUID | None = None
    licence: str = Field("", max_length=100)
    intended_use: str = Text
    limitations: str = Text
    is_general_purpose: bool = False
    training_compute_flops: float | None = Field(None, ge=0)


class ModelPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    version: str | None = Field(None, min_length=1, max_length=50)
    model_type: str | None = Field(None, max_length=100)
    origin: ModelOrigin | None = None
    supplier_id: uuid.UUID | None = None
    licence: str | None = Field(None, max_length=100)
    intended_use: str | None = Field(None, max_length=5000)
    limitations: str | None = Field(None, max_length=5000)
    is_general_purpose: bool | None = None
    training_compute_flops: float | None = Field(None, ge=0)


class ModelOut(Schema):
    id: uuid.UUID
    name: str
    version: str
    model_type: str
    origin: str
    supplier_id: uuid.UUID | None
    licence: str
    intended_use: str
    limitations: str
    is_general_purpose: bool
    training_compute_flops: float | None
    system_count: int = 0


class NewVersionIn(Schema):
    version: str = Field(..., min_length=1, max_length=50)
    replace_in_systems: bool = True


class DatasetIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    source: str = Field("", max_length=300)
    acquisition: str = Text
    provenance: str = Text
    contains_personal_data: bool = False
    special_category_data: bool = False
    legal_basis: str = Field("", max_length=200)
    quality_checks: str = Text
    retention: str = Field("", max_length=200)
    supplier_id: uuid.UUID | None = None


class DatasetPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    source: str | None = Field(None, max_length=300)
    acquisition: str | None = Field(None, max_length=5000)
    provenance: str | None = Field(None, max_length=5000)
    contains_personal_data: bool | None = None
    special_category_data: bool | None = None
    legal_basis: str | None = Field(None, max_length=200)
    quality_checks: str | None = Field(None, max_length=5000)
    retention: str | None = Field(None, max_length=200)
    supplier_id: uuid.UUID | None = None


class DatasetOut(DatasetIn):
    id: uuid.UUID
    system_count: int = 0


class SupplierIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    provides: str = Text
    contact: str = Field("", max_length=200)
    due_diligence: DueDiligence = DueDiligence.NOT_STARTED
    due_diligence_date: dt.date | None = None
    responsibilities: str = Text


class SupplierPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    provides: str | None = Field(None, max_length=5000)
    contact: str | None = Field(None, max_length=200)
    due_diligence: DueDiligence | None = None
    due_diligence_date: dt.date | None = None
    responsibilities: str | None = Field(None, max_length=5000)


class SupplierOut(SupplierIn):
    id: uuid.UUID
    system_count: int = 0


class LinkIn(Schema):
    id: uuid.UUID


class ResolveIn(Schema):
    note: str = Field(..., min_length=1, max_length=500)


class ImportErrorOut(Schema):
    row: int | None
    field: str | None
    message: str


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    rows: int
    reclassified: int = 0
    notes: list[str] = []


SystemDetailOut.model_rebuild()
