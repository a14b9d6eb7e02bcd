"""Life-cycle pages: the systems' life-cycle overview and one system's records, V&V plan and
deployment gate. Thin: parse, access, service, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, request_organisation, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can_write
from aimwell.core.errors import add_to_form
from aimwell.inventory.models import AIModel, AISystem
from aimwell.lifecycle import forms, querysets, status
from aimwell.lifecycle.errors import LifecycleError, NotAuthorised
from aimwell.lifecycle.models import DesignRecord, LoggingPolicy, RequirementsSpec, VVPlan
from aimwell.lifecycle.services import gate, records, vv
from aimwell.lifecycle.services.vv import plan_intact

RECORDS: dict[str, tuple[type[Any], type[Any], Any, str]] = {
    "requirements": (
        RequirementsSpec,
        forms.RequirementsForm,
        records.save_requirements,
        "Requirements and specification",
    ),
    "design": (DesignRecord, forms.DesignForm, records.save_design, "Design and development"),
    "logging-policy": (
        LoggingPolicy,
        forms.LoggingPolicyForm,
        records.save_logging_policy,
        "Event-log policy",
    ),
}


def _system(
    request: AimwellRequest, system_id: uuid.UUID, *, write: bool = False
) -> tuple[AISystem, Any]:
    return get_for_user(
        request.user,
        querysets.systems(request.user, None),
        system_id,
        organisation=request_organisation(request),
        write=write,
    )


@login_required
@page_access(Capability.READ_ALL)
def index(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    rows = querysets.overview(request.user, membership.organisation)
    return render(request, "lifecycle/index.html", {"rows": rows})


@login_required
def system(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    obj, membership = _system(request, system_id)
    entry = status.load_one(obj)
    can_edit = can_write(membership, obj)
    context = {
        "system": obj,
        "entry": entry,
        "intact": plan_intact(entry.plan) if entry.plan and entry.plan.is_frozen else None,
        "can_edit": can_edit,
        "may_approve": gate.designation_refusal(membership, obj.organisation) is None,
        "models": list(obj.models_used.all()),
        "links": querysets.operation_links(obj),
        "criterion_form": forms.CriterionForm(),
        "plan_form": forms.PlanForm(
            initial={"scope": entry.plan.scope, "method": entry.plan.method} if entry.plan else None
        ),
    }
    return render(request, "lifecycle/system.html", context)


@login_required
def record_edit(request: AimwellRequest, system_id: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in RECORDS:
        raise Http404("No such record.")
    obj, _ = _system(request, system_id, write=True)
    model, form_class, save, title = RECORDS[kind]
    existing = model.objects.filter(system=obj).first()
    instance = existing or model(organisation_id=obj.organisation_id, system=obj)
    extra = {"organisation": obj.organisation} if kind == "design" else {}
    form = form_class(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            save(obj, actor=request.user, **values)
        except LifecycleError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{title} of {obj.name} saved.")
            return redirect("lifecycle:system", obj.pk)
    return render(
        request,
        "lifecycle/form.html",
        {"form": form, "title": f"{title}: {obj.name}", "system": obj},
    )


@login_required
@require_POST
def record_approve(request: AimwellRequest, system_id: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in RECORDS:
        raise Http404("No such record.")
    obj, _ = _system(request, system_id, write=True)
    record = RECORDS[kind][0].objects.filter(system=obj).first()
    if record is None:
        messages.error(request, "Write the record before approving it.")
    else:
        records.approve_record(record, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, f"{record} approved.")
    return redirect("lifecycle:system", obj.pk)


def _vv_call(request: AimwellRequest, obj: AISystem, membership: Any, action: str) -> str:
    """Run one V&V action from a posted form; returns the success message."""
    plan = VVPlan.objects.filter(system=obj).first()
    if action == "plan":
        form: Any = forms.PlanForm(request.POST)
        if not form.is_valid():
            raise LifecycleError("The scope and method are too long.")
        vv.save_plan(obj, actor=request.user, **form.cleaned_data)
        return "V&V plan saved."
    if plan is None:
        raise LifecycleError("Write the V&V plan first.")
    if action == "criterion":
        form = forms.CriterionForm(request.POST)
        if not form.is_valid():
            raise LifecycleError(_first_error(form))
        criterion = vv.add_criterion(plan, actor=request.user, **form.cleaned_data)
        return f"Criterion {criterion.key} added."
    if action == "freeze":
        vv.freeze_plan(plan, actor=request.user)
        return f"Plan frozen; criteria SHA-256 {plan.criteria_sha256[:16]}…"
    if action == "result":
        form = forms.ResultForm(request.POST)
        if not form.is_valid():
            raise LifecycleError(_first_error(form))
        data = form.cleaned_data
        run = _run(obj, data.pop("monitor_run_id"))
        result = vv.record_result(obj, actor=request.user, monitor_run=run, **data)
        return f"Result {result} recorded."
    if action == "accept":
        form = forms.AcceptanceForm(request.POST)
        if not form.is_valid():
            raise LifecycleError(_first_error(form))
        acceptance = vv.accept_criterion(
            obj, actor=request.user, membership=membership, **form.cleaned_data
        )
        return f"{acceptance} recorded."
    raise Http404("No such action.")


def _run(obj: AISystem, run_id: Any) -> Any:
    if run_id is None:
        return None
    from aimwell.monitoring.models import MonitorRun

    run = MonitorRun.objects.filter(pk=run_id, organisation_id=obj.organisation_id).first()
    if run is None:
        raise LifecycleError("No such monitoring run in this organisation.")
    return run


def _first_error(form: Any) -> str:
    field, errors = next(iter(form.errors.items()))
    return f"{field.replace('_', ' ')}: {errors[0]}"


@login_required
@require_POST
def vv_action(request: AimwellRequest, system_id: uuid.UUID, action: str) -> HttpResponse:
    obj, membership = _system(request, system_id, write=True)
    try:
        message = _vv_call(request, obj, membership, action)
    except NotAuthorised as exc:
        raise PermissionDenied(str(exc)) from exc
    except LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect("lifecycle:system", obj.pk)


@login_required
@require_POST
def approve_deployment(request: AimwellRequest, system_id: uuid.UUID) -> HttpResponse:
    obj, membership = _system(request, system_id)
    require(membership, Capability.CONTRIBUTE)
    form = forms.ApproveForm(request.POST)
    model = None
    if form.is_valid():
        model = AIModel.objects.filter(
            pk=form.cleaned_data["model_id"], organisation_id=obj.organisation_id
        ).first()
    if model is None:
        raise Http404("No such model version.")
    try:
        approval = gate.approve_deployment(
            obj,
            model=model,
            actor=request.user,
            membership=membership,
            note=form.cleaned_data["note"],
        )
    except NotAuthorised as exc:
        raise PermissionDenied(str(exc)) from exc
    except LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{approval} recorded.")
    return redirect("lifecycle:system", obj.pk)
