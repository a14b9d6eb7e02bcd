"""Integration pages: webhook endpoints, the delivery log, and the MLflow registry connection.
Admins and AIMS managers only (see `access`)."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import page_access
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.core.errors import add_to_form
from aimwell.integrations import access, querysets, services, signing
from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.forms import ConnectionForm, EndpointForm
from aimwell.integrations.models import DeliveryStatus
from aimwell.integrations.services import delivery


@login_required
@page_access(Capability.MANAGE_AIMS)
def home(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    org = membership.organisation
    context = {
        "endpoints": list(querysets.endpoints(org)),
        "recent": list(querysets.deliveries(org)[:10]),
        "connection": access.connection_for(request),
        "header": signing.SIGNATURE_HEADER,
    }
    return render(request, "integrations/home.html", context)


def _secret_page(request: AimwellRequest, endpoint: object, secret: str) -> HttpResponse:
    return render(
        request,
        "integrations/secret.html",
        {"endpoint": endpoint, "secret": secret, "header": signing.SIGNATURE_HEADER},
    )


@login_required
def webhook_new(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = services.create_endpoint(
                membership.organisation,
                actor=request.user,
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
            )
        except IntegrationError as exc:
            add_to_form(form, exc)
        else:
            return _secret_page(request, endpoint, secret)
    return render(request, "integrations/webhook_form.html", {"form": form, "endpoint": None})


@login_required
def webhook_detail(request: AimwellRequest, endpoint_id: uuid.UUID) -> HttpResponse:
    endpoint = access.endpoint_for(request, endpoint_id)
    form = EndpointForm(request.POST or None, initial=EndpointForm.initial_for(endpoint))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_endpoint(endpoint, actor=request.user, **form.cleaned_data)
        except IntegrationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"“{endpoint.name}” was saved.")
            return redirect("integrations:webhook", endpoint.pk)
    deliveries = querysets.deliveries(endpoint.organisation, endpoint=endpoint)
    context = {
        "endpoint": endpoint,
        "form": form,
        "page": Paginator(deliveries, 25).get_page(request.GET.get("page")),
    }
    return render(request, "integrations/webhook_form.html", context)


@login_required
@require_POST
def webhook_delete(request: AimwellRequest, endpoint_id: uuid.UUID) -> HttpResponse:
    endpoint = access.endpoint_for(request, endpoint_id)
    services.delete_endpoint(endpoint, actor=request.user)
    messages.success(request, f"“{endpoint.name}” was removed with its delivery log.")
    return redirect("integrations:home")


@login_required
@require_POST
def webhook_rotate(request: AimwellRequest, endpoint_id: uuid.UUID) -> HttpResponse:
    endpoint = access.endpoint_for(request, endpoint_id)
    return _secret_page(request, endpoint, services.rotate_secret(endpoint, actor=request.user))


@login_required
@require_POST
def webhook_ping(request: AimwellRequest, endpoint_id: uuid.UUID) -> HttpResponse:
    endpoint = access.endpoint_for(request, endpoint_id)
    delivery.queue_ping(endpoint, actor=request.user)
    messages.success(request, "A test event is queued; the worker sends it within seconds.")
    return redirect("integrations:webhook", endpoint.pk)


@login_required
def deliveries(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    qs = querysets.deliveries(membership.organisation)
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    context = {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "status": status,
        "statuses": DeliveryStatus.choices,
    }
    return render(request, "integrations/deliveries.html", context)


@login_required
def delivery_detail(request: AimwellRequest, delivery_id: uuid.UUID) -> HttpResponse:
    found = access.delivery_for(request, delivery_id)
    body = json.dumps(json.loads(found.body), indent=2, ensure_ascii=False)
    context = {"delivery": found, "body": body, "attempts": list(found.attempt_log.all())}
    return render(request, "integrations/delivery.html", context)


@login_required
@require_POST
def delivery_redeliver(request: AimwellRequest, delivery_id: uuid.UUID) -> HttpResponse:
    found = delivery.redeliver(access.delivery_for(request, delivery_id))
    messages.success(request, "The delivery is queued again.")
    return redirect("integrations:delivery", found.pk)


@login_required
def mlflow(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    connection = access.connection_for(request)
    form = ConnectionForm(request.POST or None, initial=ConnectionForm.initial_for(connection))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mlflow_connection(
                membership.organisation, actor=request.user, **form.values()
            )
        except IntegrationError as exc:
            form.add_error("tracking_url" if exc.field == "url" else None, str(exc))
        else:
            messages.success(request, "The MLflow connection was saved.")
            return redirect("integrations:mlflow")
    versions = querysets.registry_versions(membership.organisation)
    context = {
        "form": form,
        "connection": connection,
        "page": Paginator(versions, 50).get_page(request.GET.get("page")),
    }
    return render(request, "integrations/mlflow.html", context)


@login_required
@require_POST
def mlflow_sync(request: AimwellRequest) -> HttpResponse:
    from aimwell.integrations.tasks import sync_organisation

    connection = access.connection_for(request)
    if connection is None:
        messages.error(request, "Set the MLflow tracking server first.")
    else:
        sync_organisation.enqueue(str(connection.organisation_id))
        messages.success(request, "The sync is queued; the worker runs it shortly.")
    return redirect("integrations:mlflow")
