"""Explicit API schemas of the integrations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from aimwell.integrations.models import DeliveryStatus


class EventTypeOut(Schema):
    key: str
    label: str


class EndpointOut(Schema):
    id: uuid.UUID
    name: str
    url: str
    event_types: list[str]
    is_active: bool
    secret_hint: str = Field(description="The first characters of the signing secret.")
    created_at: dt.datetime


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(description="The signing secret: shown this once, keep it.")


class SecretOut(Schema):
    secret: str


class EndpointIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    url: str = Field(min_length=8, max_length=500)
    event_types: list[str] = Field(min_length=1, max_length=20)


class EndpointPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    url: str | None = Field(None, min_length=8, max_length=500)
    event_types: list[str] | None = Field(None, min_length=1, max_length=20)
    is_active: bool | None = None


class DeliveryOut(Schema):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    endpoint: str
    event_id: uuid.UUID
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_endpoint(obj: Any) -> str:
        return str(obj["endpoint"] if isinstance(obj, dict) else obj.endpoint.name)


class AttemptOut(Schema):
    number: int
    status_code: int | None
    error: str
    duration_ms: int
    attempted_at: dt.datetime


class DeliveryDetailOut(DeliveryOut):
    body: dict[str, Any]
    attempt_log: list[AttemptOut]


class QueuedOut(Schema):
    id: uuid.UUID
    status: str


class ConnectionOut(Schema):
    tracking_url: str
    has_token: bool
    system_tag: str
    deployed_alias: str
    is_active: bool
    last_sync_at: dt.datetime | None
    last_sync_ok: bool | None
    last_sync_summary: dict[str, Any]


class ConnectionIn(Schema):
    tracking_url: str = Field(min_length=8, max_length=500)
    token: str | None = Field(
        None, max_length=2000, description="Omit to keep the stored token; empty to remove it."
    )
    system_tag: str = Field("aimwell.system", min_length=1, max_length=100)
    deployed_alias: str = Field("production", min_length=1, max_length=100)
    is_active: bool = True


class SyncQueuedOut(Schema):
    queued: bool
    message: str


class RegistryVersionOut(Schema):
    registered_name: str
    version: str
    stage: str
    aliases: list[str]
    status: str
    run_id: str
    metrics: dict[str, float]
    tags: dict[str, str]
    source_dataset: str
    is_deployed: bool
    registered_at: dt.datetime | None
    model_id: uuid.UUID | None
    system_id: uuid.UUID | None
    system: str | None

    @staticmethod
    def resolve_system(obj: Any) -> str | None:
        return obj.system.name if obj.system_id else None


class DeliveryFilter(Schema):
    endpoint_id: uuid.UUID | None = None
    status: DeliveryStatus | None = None
