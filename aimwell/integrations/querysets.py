"""Reads of the integrations, joins included (the list pages and the API use these)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aimwell.integrations.models import RegistryVersion, WebhookDelivery, WebhookEndpoint


def endpoints(organisation: Any) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation=organisation).order_by("name")


def deliveries(organisation: Any, *, endpoint: Any = None) -> QuerySet[WebhookDelivery]:
    qs = WebhookDelivery.objects.filter(organisation=organisation).select_related("endpoint")
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    return qs.defer("body").order_by("-created_at")


def registry_versions(organisation: Any) -> QuerySet[RegistryVersion]:
    return (
        RegistryVersion.objects.filter(organisation=organisation)
        .select_related("model", "system")
        .order_by("registered_name", "-registered_at")
    )
