"""Monitoring pages: the overview (latest results per system, failing monitors), a monitor with
its trends and runs, one run with its per-group tables, and the comparison of two runs."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.inventory.models import AISystem
from aimwell.monitoring import charts, presenters, querysets, services, uploads
from aimwell.monitoring.forms import MonitorForm, UploadForm
from aimwell.monitoring.models import Monitor, MonitorRun, Notification, RunStatus


def _reader(request: AimwellRequest) -> Any:
    return require(request.membership, Capability.READ_ALL)


def _monitor(
    request: AimwellRequest, monitor_id: uuid.UUID, write: bool = False
) -> tuple[Any, Any]:
    return get_for_user(
        request.user,
        Monitor.objects.select_related("system", "system__owner"),
        monitor_id,
        organisation=request.organisation,
        write=write,
    )


def _run(request: AimwellRequest, run_id: Any, *, full: bool = False) -> tuple[Any, Any]:
    qs = MonitorRun.objects.select_related("monitor", "monitor__system", "evidence")
    return get_for_user(
        request.user,
        qs if full else qs.defer("result"),
        run_id,
        organisation=request.organisation,
    )


@login_required
@page_access(Capability.READ_ALL)
def home(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    org = membership.organisation
    systems = querysets.overview(request.user, org)
    recent = list(querysets.runs(request.user, org)[:15])
    context = {
        "systems": systems,
        "monitor_count": sum(len(s["monitors"]) for s in systems),
        "failing": [m for s in systems for m in s["monitors"] if m["monitor"].is_failing],
        "recent": recent,
        "notifications": list(
            querysets.notifications_for(request.user, org).filter(read_at__isnull=True)[:10]
        ),
        "can_create": can(membership, Capability.CONTRIBUTE),
    }
    return render(request, "monitoring/home.html", context)


def _writable_systems(membership: Any) -> list[AISystem]:
    systems = AISystem.objects.filter(organisation=membership.organisation).order_by("name")
    if can(membership, Capability.MANAGE_AIMS):
        return list(systems)
    return list(systems.filter(owner_id=membership.user_id))


@login_required
def monitor_form(request: AimwellRequest, monitor_id: uuid.UUID | None = None) -> HttpResponse:
    if monitor_id is None:
        membership = require(request.membership, Capability.CONTRIBUTE)
        monitor = None
        initial: dict[str, Any] = {"system": request.GET.get("system", "")}
    else:
        monitor, membership = _monitor(request, monitor_id, write=True)
        initial = MonitorForm.initial_for(monitor)
    systems = _writable_systems(membership)
    form = MonitorForm(request.POST or None, initial=initial, systems=systems)
    if monitor is not None:
        form.fields["system"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if monitor is None:
                system = next(s for s in systems if str(s.pk) == form.cleaned_data["system"])
                monitor = services.create_monitor(system, actor=request.user, **form.values())
            else:
                services.update_monitor(monitor, actor=request.user, **form.values())
        except services.MonitoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{monitor.name}” was saved.")
            return redirect("monitoring:monitor", monitor.pk)
    title = f"Edit {monitor}" if monitor else "New monitor"
    return render(
        request, "monitoring/form.html", {"form": form, "title": title, "monitor": monitor}
    )


@login_required
def monitor_detail(request: AimwellRequest, monitor_id: uuid.UUID) -> HttpResponse:
    monitor, membership = _monitor(request, monitor_id)
    runs = querysets.runs(request.user, membership.organisation, monitor)
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    trend_runs = querysets.finished_runs(monitor)
    context = {
        "monitor": monitor,
        "page": page,
        "charts": charts.monitor_charts(trend_runs, monitor.effective_thresholds),
        "can_edit": can_write(membership, monitor),
        "upload_form": UploadForm(),
        "thresholds": monitor.effective_thresholds,
    }
    return render(request, "monitoring/monitor.html", context)


@login_required
@require_POST
def monitor_upload(request: AimwellRequest, monitor_id: uuid.UUID) -> HttpResponse:
    monitor, _ = _monitor(request, monitor_id, write=True)
    upload = request.FILES.get("log")
    if upload is None:
        messages.error(request, "Choose a prediction log to upload.")
        return redirect("monitoring:monitor", monitor.pk)
    try:
        stored = uploads.store(
            monitor.organisation_id,
            upload.chunks(),
            upload.name or "log.csv",
            declared_size=upload.size,
        )
        run = services.start_run(monitor, actor=request.user, stored=stored)
    except (uploads.UploadError, services.MonitoringError) as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:monitor", monitor.pk)
    messages.success(request, f"Run #{run.number} is queued.")
    return redirect("monitoring:run", run.pk)


@login_required
@require_POST
def monitor_reference(request: AimwellRequest, monitor_id: uuid.UUID) -> HttpResponse:
    monitor, _ = _monitor(request, monitor_id, write=True)
    upload = request.FILES.get("log")
    if upload is None:
        messages.error(request, "Choose a reference log to upload.")
        return redirect("monitoring:monitor", monitor.pk)
    try:
        stored = uploads.store(
            monitor.organisation_id,
            upload.chunks(),
            upload.name or "reference.csv",
            declared_size=upload.size,
        )
        services.set_reference(monitor, stored, actor=request.user)
    except (uploads.UploadError, services.MonitoringError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{stored.name} is now the reference window.")
    return redirect("monitoring:monitor", monitor.pk)


@login_required
@require_POST
def monitor_run(request: AimwellRequest, monitor_id: uuid.UUID) -> HttpResponse:
    monitor, _ = _monitor(request, monitor_id, write=True)
    try:
        run = services.start_run(monitor, actor=request.user)
    except services.MonitoringError as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:monitor", monitor.pk)
    messages.success(request, f"Run #{run.number} is queued.")
    return redirect("monitoring:run", run.pk)


@login_required
def run_detail(request: AimwellRequest, run_id: uuid.UUID) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        run, _ = _run(request, run_id)
        return render(request, "monitoring/run.html#status", {"run": run})
    run, _ = _run(request, run_id, full=True)
    result = run.result or {}
    context = {
        "run": run,
        "monitor": run.monitor,
        **presenters.run_sections(result),
        "previous": MonitorRun.objects.filter(
            monitor_id=run.monitor_id, number__lt=run.number, status=RunStatus.SUCCEEDED
        )
        .only("id", "number")
        .order_by("-number")
        .first(),
    }
    return render(request, "monitoring/run.html", context)


@login_required
def run_result(request: AimwellRequest, run_id: uuid.UUID) -> HttpResponse:
    run, _ = _run(request, run_id, full=True)
    response = JsonResponse(run.result or {}, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="monitor-run-{run.number}.json"'
    return response


@login_required
def compare(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    a_id, b_id = request.GET.get("a"), request.GET.get("b")
    monitor_id = request.GET.get("monitor")
    context: dict[str, Any] = {"rows": None}
    if a_id and b_id:
        a, _ = _run(request, a_id)
        b, _ = _run(request, b_id)
        context.update(a=a, b=b, rows=querysets.compare(a, b))
        monitor_id = str(a.monitor_id)
    if monitor_id:
        monitor, _ = _monitor(request, monitor_id)  # type: ignore[arg-type]
        context["monitor"] = monitor
        context["choices"] = list(
            querysets.runs(request.user, membership.organisation, monitor)
            .filter(status=RunStatus.SUCCEEDED)
            .only("id", "number", "outcome", "finished_at", "monitor_id", "system_id")[:200]
        )
    return render(request, "monitoring/compare.html", context)


@login_required
@require_POST
def notification_read(request: AimwellRequest, notification_id: uuid.UUID) -> HttpResponse:
    note, _ = get_for_user(
        request.user,
        Notification.objects.filter(recipient_id=request.user.pk),
        notification_id,
        organisation=request.organisation,
    )
    services.mark_read(note, actor=request.user)
    return redirect("monitoring:home")
