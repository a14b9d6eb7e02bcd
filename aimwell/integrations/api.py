"""REST endpoints of the integrations: webhook endpoints and their delivery log, the MLflow
connection, its sync and what it brought in. Admins and AIMS managers only."""

import json
import uuid
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from aimwell.accounts.request import AimwellRequest
from aimwell.integrations import access, querysets, services
from aimwell.integrations.models import (
    EventType,
    MlflowConnection,
    RegistryVersion,
    WebhookDelivery,
    WebhookEndpoint,
)
from aimwell.integrations.schemas import (
    ConnectionIn,
    ConnectionOut,
    DeliveryDetailOut,
    DeliveryFilter,
    DeliveryOut,
    EndpointCreatedOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EventTypeOut,
    QueuedOut,
    RegistryVersionOut,
    SecretOut,
    SyncQueuedOut,
)
from aimwell.integrations.services import delivery

router = Router(tags=["Integrations"])


def _endpoint_out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "is_active": endpoint.is_active,
        "secret_hint": endpoint.secret_hint,
        "created_at": endpoint.created_at,
    }


def _delivery_out(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "endpoint_id": d.endpoint_id,
        "endpoint": d.endpoint.name,
        "event_id": d.event_id,
        "event_type": d.event_type,
        "status": d.status,
        "attempts": d.attempts,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "next_attempt_at": d.next_attempt_at,
        "delivered_at": d.delivered_at,
        "created_at": d.created_at,
    }


@router.get(
    "/integrations/webhook-event-types",
    response=list[EventTypeOut],
    summary="The event types a webhook endpoint can subscribe to",
)
def event_types(request: AimwellRequest) -> list[dict[str, str]]:
    access.manager(request)
    return [
        {"key": key, "label": label}
        for key, label in EventType.choices
        if key in services.SUBSCRIBABLE
    ]


@router.get("/integrations/webhooks", response=list[EndpointOut], summary="Webhook endpoints")
def list_endpoints(request: AimwellRequest) -> list[dict[str, Any]]:
    membership = access.manager(request)
    return [_endpoint_out(e) for e in querysets.endpoints(membership.organisation)]


@router.post(
    "/integrations/webhooks",
    response={201: EndpointCreatedOut},
    summary="Add a webhook endpoint (its signing secret is in this answer only)",
)
def create_endpoint(request: AimwellRequest, payload: EndpointIn) -> Status[dict[str, Any]]:
    membership = access.manager(request)
    endpoint, secret = services.create_endpoint(
        membership.organisation, actor=request.user, **payload.model_dump()
    )
    return Status(201, {**_endpoint_out(endpoint), "secret": secret})


@router.get("/integrations/webhooks/{endpoint_id}", response=EndpointOut, summary="One endpoint")
def get_endpoint(request: AimwellRequest, endpoint_id: uuid.UUID) -> dict[str, Any]:
    return _endpoint_out(access.endpoint_for(request, endpoint_id))


@router.patch(
    "/integrations/webhooks/{endpoint_id}", response=EndpointOut, summary="Change an endpoint"
)
def patch_endpoint(
    request: AimwellRequest, endpoint_id: uuid.UUID, payload: EndpointPatch
) -> dict[str, Any]:
    endpoint = access.endpoint_for(request, endpoint_id)
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.update_endpoint(endpoint, actor=request.user, **changes)
    return _endpoint_out(endpoint)


@router.delete(
    "/integrations/webhooks/{endpoint_id}",
    response={204: None},
    summary="Remove an endpoint and its delivery log",
)
def delete_endpoint(request: AimwellRequest, endpoint_id: uuid.UUID) -> Status[None]:
    endpoint = access.endpoint_for(request, endpoint_id)
    services.delete_endpoint(endpoint, actor=request.user)
    return Status(204, None)


@router.post(
    "/integrations/webhooks/{endpoint_id}/rotate-secret",
    response=SecretOut,
    summary="Replace an endpoint's signing secret (the new one is in this answer only)",
)
def rotate_secret(request: AimwellRequest, endpoint_id: uuid.UUID) -> dict[str, str]:
    endpoint = access.endpoint_for(request, endpoint_id)
    return {"secret": services.rotate_secret(endpoint, actor=request.user)}


@router.post(
    "/integrations/webhooks/{endpoint_id}/ping",
    response={202: QueuedOut},
    summary="Queue a signed test event to an endpoint",
)
def ping(request: AimwellRequest, endpoint_id: uuid.UUID) -> Status[dict[str, Any]]:
    endpoint = access.endpoint_for(request, endpoint_id)
    queued = delivery.queue_ping(endpoint, actor=request.user)
    return Status(202, {"id": queued.pk, "status": queued.status})


@router.get(
    "/integrations/webhook-deliveries",
    response=list[DeliveryOut],
    summary="The delivery log, newest first",
)
@paginate(LimitOffsetPagination)
def list_deliveries(
    request: AimwellRequest, filters: Query[DeliveryFilter]
) -> QuerySet[WebhookDelivery]:
    membership = access.manager(request)
    qs = querysets.deliveries(membership.organisation)
    if filters.endpoint_id is not None:
        qs = qs.filter(endpoint_id=filters.endpoint_id)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return qs


@router.get(
    "/integrations/webhook-deliveries/{delivery_id}",
    response=DeliveryDetailOut,
    summary="One delivery: the JSON sent and every attempt",
)
def get_delivery(request: AimwellRequest, delivery_id: uuid.UUID) -> dict[str, Any]:
    found = access.delivery_for(request, delivery_id)
    return {
        **_delivery_out(found),
        "body": json.loads(found.body),
        "attempt_log": [
            {
                "number": a.number,
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
                "attempted_at": a.created_at,
            }
            for a in found.attempt_log.all()
        ],
    }


@router.post(
    "/integrations/webhook-deliveries/{delivery_id}/redeliver",
    response={202: QueuedOut},
    summary="Send a delivery again now",
)
def redeliver(request: AimwellRequest, delivery_id: uuid.UUID) -> Status[dict[str, Any]]:
    found = delivery.redeliver(access.delivery_for(request, delivery_id))
    return Status(202, {"id": found.pk, "status": found.status})


def _connection_out(connection: MlflowConnection) -> dict[str, Any]:
    return {
        "tracking_url": connection.tracking_url,
        "has_token": bool(connection.token_sealed),
        "system_tag": connection.system_tag,
        "deployed_alias": connection.deployed_alias,
        "is_active": connection.is_active,
        "last_sync_at": connection.last_sync_at,
        "last_sync_ok": connection.last_sync_ok,
        "last_sync_summary": connection.last_sync_summary,
    }


def _connection(request: AimwellRequest) -> MlflowConnection:
    connection = access.connection_for(request)
    if connection is None:
        raise HttpError(404, "No MLflow connection is set for this organisation.")
    return connection


@router.get("/integrations/mlflow", response=ConnectionOut, summary="The MLflow connection")
def get_connection(request: AimwellRequest) -> dict[str, Any]:
    return _connection_out(_connection(request))


@router.put(
    "/integrations/mlflow", response=ConnectionOut, summary="Set the MLflow tracking server"
)
def put_connection(request: AimwellRequest, payload: ConnectionIn) -> dict[str, Any]:
    membership = access.manager(request)
    connection = services.set_mlflow_connection(
        membership.organisation, actor=request.user, **payload.model_dump()
    )
    return _connection_out(connection)


@router.delete("/integrations/mlflow", response={204: None}, summary="Remove the MLflow connection")
def delete_connection(request: AimwellRequest) -> Status[None]:
    services.remove_mlflow_connection(_connection(request), actor=request.user)
    return Status(204, None)


@router.post(
    "/integrations/mlflow/sync",
    response={202: SyncQueuedOut},
    summary="Queue a sync of the registry into the AI inventory (the worker runs it)",
)
def queue_sync(request: AimwellRequest) -> Status[dict[str, Any]]:
    from aimwell.integrations.tasks import sync_organisation

    connection = _connection(request)
    sync_organisation.enqueue(str(connection.organisation_id))
    return Status(202, {"queued": True, "message": "The worker will sync the registry shortly."})


@router.get(
    "/integrations/mlflow/versions",
    response=list[RegistryVersionOut],
    summary="Model versions the last sync found, with stage, aliases, metrics and tags",
)
@paginate(LimitOffsetPagination)
def list_versions(request: AimwellRequest) -> QuerySet[RegistryVersion]:
    membership = access.manager(request)
    return querysets.registry_versions(membership.organisation)
