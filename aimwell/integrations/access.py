"""Who may use the integrations: they send the organisation's data out of Aimwell and hold its
secrets, so they are the AIMS managers' (admins and AIMS managers); nobody else sees them."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.core import concurrency
from aimwell.integrations.models import MlflowConnection, WebhookDelivery, WebhookEndpoint


def manager(request: AimwellRequest) -> Any:
    """The membership of an admin or AIMS manager of the current organisation (404/403 else)."""
    return require(getattr(request, "membership", None), Capability.MANAGE_AIMS)


def _one(model: Any, request: AimwellRequest, pk: Any, **related: Any) -> Any:
    membership = manager(request)
    qs = model.objects.filter(organisation=membership.organisation)
    if related:
        qs = qs.select_related(*related)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found.")
    concurrency.fetched(found, write=True)  # a write's If-Match is about this record
    return found


def endpoint_for(request: AimwellRequest, pk: Any) -> WebhookEndpoint:
    return _one(WebhookEndpoint, request, pk)


def delivery_for(request: AimwellRequest, pk: Any) -> WebhookDelivery:
    return _one(WebhookDelivery, request, pk, endpoint=True)


def connection_for(request: AimwellRequest) -> MlflowConnection | None:
    membership = manager(request)
    return MlflowConnection.objects.filter(organisation=membership.organisation).first()
