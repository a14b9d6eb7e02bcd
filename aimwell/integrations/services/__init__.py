"""The only writers of integration settings: webhook endpoints and the MLflow connection. Each
write is atomic and recorded in the audit trail (secrets never: only that they changed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from aimwell.core import writes
from aimwell.core.audit import record_for
from aimwell.integrations import sealing, signing
from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.models import EventType, MlflowConnection, WebhookEndpoint
from aimwell.integrations.targets import check_url

ENDPOINT_FIELDS = ("name", "url", "event_types", "is_active")
CONNECTION_FIELDS = ("tracking_url", "system_tag", "deployed_alias", "is_active")
SUBSCRIBABLE = [t.value for t in EventType if t != EventType.PING]


def _event_types(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in SUBSCRIBABLE]
    if unknown:
        raise IntegrationError(f"Unknown event type: {', '.join(unknown)}.", field="event_types")
    if not chosen:
        raise IntegrationError("Choose at least one event type.", field="event_types")
    return sorted(chosen, key=SUBSCRIBABLE.index)


@transaction.atomic
def create_endpoint(
    organisation: Any, *, actor: Any, name: str, url: str, event_types: Iterable[str]
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned once; only its sealed form is kept)."""
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        organisation=organisation,
        name=name.strip(),
        url=check_url(url),
        event_types=_event_types(event_types),
        secret_sealed=sealing.seal(secret),
        secret_hint=secret[: len(signing.SECRET_PREFIX) + 4],
        created_by_label=str(getattr(actor, "email", None) or actor)[:200],
    )
    writes.save_new(
        endpoint,
        actor=actor,
        action="webhook.created",
        fields=ENDPOINT_FIELDS,
        error=IntegrationError,
        duplicate="There is already an endpoint named “{obj.name}”.",
    )
    return endpoint, secret


@transaction.atomic
def update_endpoint(endpoint: WebhookEndpoint, *, actor: Any, **changes: Any) -> WebhookEndpoint:
    if "url" in changes:
        changes["url"] = check_url(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = _event_types(changes["event_types"])
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    writes.apply_changes(
        endpoint,
        actor=actor,
        action="webhook.updated",
        allowed=ENDPOINT_FIELDS,
        error=IntegrationError,
        duplicate="There is already an endpoint named “{obj.name}”.",
        **changes,
    )
    return endpoint


@transaction.atomic
def rotate_secret(endpoint: WebhookEndpoint, *, actor: Any) -> str:
    """A new signing secret; deliveries from now on are signed with it."""
    secret = signing.new_secret()
    endpoint.secret_sealed = sealing.seal(secret)
    endpoint.secret_hint = secret[: len(signing.SECRET_PREFIX) + 4]
    endpoint.save(update_fields=["secret_sealed", "secret_hint", "updated_at"])
    record_for(endpoint, actor=actor, action="webhook.secret_rotated")
    return secret


@transaction.atomic
def delete_endpoint(endpoint: WebhookEndpoint, *, actor: Any) -> None:
    """Remove an endpoint with its delivery log."""
    record_for(
        endpoint,
        actor=actor,
        action="webhook.deleted",
        changes={"name": [endpoint.name, None], "url": [endpoint.url, None]},
    )
    endpoint.delete()


@transaction.atomic
def set_mlflow_connection(
    organisation: Any,
    *,
    actor: Any,
    tracking_url: str,
    token: str | None = None,
    system_tag: str = "aimwell.system",
    deployed_alias: str = "production",
    is_active: bool = True,
) -> MlflowConnection:
    """Create or change the organisation's MLflow connection. `token=None` keeps the stored
    token, "" removes it (then AIMWELL_MLFLOW_TOKEN is used, if set)."""
    values: dict[str, Any] = {
        "tracking_url": check_url(tracking_url).rstrip("/"),
        "system_tag": system_tag.strip() or "aimwell.system",
        "deployed_alias": deployed_alias.strip() or "production",
        "is_active": is_active,
    }
    connection = MlflowConnection.objects.filter(organisation=organisation).first()
    if connection is None:
        connection = MlflowConnection(organisation=organisation, **values)
        connection.token_sealed = sealing.seal(token or "")
        writes.save_new(
            connection,
            actor=actor,
            action="mlflow.connected",
            fields=CONNECTION_FIELDS,
            error=IntegrationError,
        )
        return connection
    writes.apply_changes(
        connection,
        actor=actor,
        action="mlflow.updated",
        allowed=CONNECTION_FIELDS,
        error=IntegrationError,
        **values,
    )
    if token is not None and sealing.unseal(connection.token_sealed) != token:
        connection.token_sealed = sealing.seal(token)
        connection.save(update_fields=["token_sealed", "updated_at"])
        record_for(
            connection,
            actor=actor,
            action="mlflow.token_changed",
            changes={"token": ["(hidden)", "(hidden)" if token else None]},
        )
    return connection


@transaction.atomic
def remove_mlflow_connection(connection: MlflowConnection, *, actor: Any) -> None:
    record_for(
        connection,
        actor=actor,
        action="mlflow.disconnected",
        changes={"tracking_url": [connection.tracking_url, None]},
    )
    connection.delete()
