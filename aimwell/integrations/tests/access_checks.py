"""Access checks of the integration routes (collected by the role matrix): admins and AIMS
managers only; the outsider sees none of the organisation's endpoints, deliveries or connection."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.testing import MANAGERS, Check

# A public address literal: passes the outbound-target check without a DNS lookup.
PUBLIC_URL = "https://93.184.216.34/hooks/aimwell"


def setup(ctx: dict[str, Any]) -> None:
    from aimwell.integrations import services
    from aimwell.integrations.services import delivery

    endpoint, _ = services.create_endpoint(
        ctx["org"], actor="t", name="Access SIEM", url=PUBLIC_URL, event_types=["item.due"]
    )
    ctx["i_endpoint"] = endpoint
    ctx["i_delivery"] = delivery.queue_ping(endpoint, actor="t")
    services.set_mlflow_connection(ctx["org"], actor="t", tracking_url="https://93.184.216.34")


def _e(c: dict[str, Any]) -> str:
    return str(c["i_endpoint"].pk)


def _d(c: dict[str, Any]) -> str:
    return str(c["i_delivery"].pk)


def _fresh_endpoint(c: dict[str, Any]) -> str:
    """Each role deletes its own endpoint (a deleted one would be 404 for the next role)."""
    from aimwell.integrations import services
    from aimwell.integrations.models import WebhookEndpoint

    n = WebhookEndpoint.objects.filter(organisation=c["org"]).count()
    endpoint, _ = services.create_endpoint(
        c["org"], actor="t", name=f"Doomed {n}", url=PUBLIC_URL, event_types=["item.due"]
    )
    return str(endpoint.pk)


def _with_connection(c: dict[str, Any]) -> str:
    from aimwell.integrations import services
    from aimwell.integrations.models import MlflowConnection

    if not MlflowConnection.objects.filter(organisation=c["org"]).exists():
        services.set_mlflow_connection(c["org"], actor="t", tracking_url="https://93.184.216.34")
    return "/api/v1/integrations/mlflow"


def _endpoint_body(role: str) -> dict[str, Any]:
    return {"name": f"Hook of {role}", "url": PUBLIC_URL, "event_types": ["finding.recorded"]}


WEB: dict[str, Check | str] = {
    "integrations:home": Check("GET", lambda c: reverse("integrations:home"), MANAGERS, False),
    "integrations:webhook-new": Check(
        "POST",
        lambda c: reverse("integrations:webhook-new"),
        MANAGERS,
        False,
        body=_endpoint_body,
    ),
    "integrations:webhook": Check(
        "POST",
        lambda c: reverse("integrations:webhook", args=[_e(c)]),
        MANAGERS,
        True,
        body=lambda role: {"name": "Access SIEM", "url": PUBLIC_URL, "event_types": ["item.due"]},
        ok=302,
    ),
    "integrations:webhook-delete": Check(
        "POST",
        lambda c: reverse("integrations:webhook-delete", args=[_fresh_endpoint(c)]),
        MANAGERS,
        True,
        ok=302,
    ),
    "integrations:webhook-rotate": Check(
        "POST", lambda c: reverse("integrations:webhook-rotate", args=[_e(c)]), MANAGERS, True
    ),
    "integrations:webhook-ping": Check(
        "POST",
        lambda c: reverse("integrations:webhook-ping", args=[_e(c)]),
        MANAGERS,
        True,
        ok=302,
    ),
    "integrations:deliveries": Check(
        "GET", lambda c: reverse("integrations:deliveries"), MANAGERS, False
    ),
    "integrations:delivery": Check(
        "GET", lambda c: reverse("integrations:delivery", args=[_d(c)]), MANAGERS, True
    ),
    "integrations:redeliver": Check(
        "POST",
        lambda c: reverse("integrations:redeliver", args=[_d(c)]),
        MANAGERS,
        True,
        ok=302,
    ),
    "integrations:mlflow": Check("GET", lambda c: reverse("integrations:mlflow"), MANAGERS, False),
    "integrations:mlflow-sync": Check(
        "POST", lambda c: reverse("integrations:mlflow-sync"), MANAGERS, False, ok=302
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/integrations/webhook-event-types"): Check(
        "GET", lambda c: "/api/v1/integrations/webhook-event-types", MANAGERS, False
    ),
    ("GET", "/api/v1/integrations/webhooks"): Check(
        "GET", lambda c: "/api/v1/integrations/webhooks", MANAGERS, False
    ),
    ("POST", "/api/v1/integrations/webhooks"): Check(
        "POST",
        lambda c: "/api/v1/integrations/webhooks",
        MANAGERS,
        False,
        body=_endpoint_body,
        ok=201,
    ),
    ("GET", "/api/v1/integrations/webhooks/{endpoint_id}"): Check(
        "GET", lambda c: f"/api/v1/integrations/webhooks/{_e(c)}", MANAGERS, True
    ),
    ("PATCH", "/api/v1/integrations/webhooks/{endpoint_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/integrations/webhooks/{_e(c)}",
        MANAGERS,
        True,
        body=lambda role: {"event_types": ["item.due", "finding.recorded"]},
    ),
    ("DELETE", "/api/v1/integrations/webhooks/{endpoint_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/integrations/webhooks/{_fresh_endpoint(c)}",
        MANAGERS,
        True,
        ok=204,
    ),
    ("POST", "/api/v1/integrations/webhooks/{endpoint_id}/rotate-secret"): Check(
        "POST", lambda c: f"/api/v1/integrations/webhooks/{_e(c)}/rotate-secret", MANAGERS, True
    ),
    ("POST", "/api/v1/integrations/webhooks/{endpoint_id}/ping"): Check(
        "POST", lambda c: f"/api/v1/integrations/webhooks/{_e(c)}/ping", MANAGERS, True, ok=202
    ),
    ("GET", "/api/v1/integrations/webhook-deliveries"): Check(
        "GET", lambda c: "/api/v1/integrations/webhook-deliveries", MANAGERS, False
    ),
    ("GET", "/api/v1/integrations/webhook-deliveries/{delivery_id}"): Check(
        "GET", lambda c: f"/api/v1/integrations/webhook-deliveries/{_d(c)}", MANAGERS, True
    ),
    ("POST", "/api/v1/integrations/webhook-deliveries/{delivery_id}/redeliver"): Check(
        "POST",
        lambda c: f"/api/v1/integrations/webhook-deliveries/{_d(c)}/redeliver",
        MANAGERS,
        True,
        ok=202,
    ),
    ("GET", "/api/v1/integrations/mlflow"): Check(
        "GET", lambda c: "/api/v1/integrations/mlflow", MANAGERS, False
    ),
    ("PUT", "/api/v1/integrations/mlflow"): Check(
        "PUT",
        lambda c: "/api/v1/integrations/mlflow",
        MANAGERS,
        False,
        body=lambda role: {"tracking_url": "https://93.184.216.34", "deployed_alias": role},
    ),
    ("DELETE", "/api/v1/integrations/mlflow"): Check(
        "DELETE", _with_connection, MANAGERS, False, ok=204
    ),
    ("POST", "/api/v1/integrations/mlflow/sync"): Check(
        "POST", lambda c: "/api/v1/integrations/mlflow/sync", MANAGERS, False, ok=202
    ),
    ("GET", "/api/v1/integrations/mlflow/versions"): Check(
        "GET", lambda c: "/api/v1/integrations/mlflow/versions", MANAGERS, False
    ),
}
