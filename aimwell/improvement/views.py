"""Pages of nonconformities and their corrective actions: thin views that parse, check access, call
a service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.improvement import forms, querysets
from aimwell.improvement import services as improvement
from aimwell.improvement.choices import ActionStatus, NCSource, NCStatus, Severity
from aimwell.improvement.models import Action, Nonconformity
from aimwell.operations.errors import OperationsError
from aimwell.operations.pages import (
    attempt,
    edit_page,
    fetch,
    list_page,
    member,
    require_any,
    step_failed,
)


@login_required
def nonconformities(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        querysets.NONCONFORMITIES,
        "improvement/nonconformities.html",
        can_create=can(m, Capability.MANAGE_AIMS) or can(m, Capability.WRITE_AUDIT_RECORDS),
        statuses=NCStatus.choices,
        sources=NCSource.choices,
        severities=Severity.choices,
    )


@login_required
def nonconformity_new(request: AimwellRequest) -> HttpResponse:
    m = require_any(request, Capability.MANAGE_AIMS, Capability.WRITE_AUDIT_RECORDS)
    form = forms.NonconformityForm(request.POST or None, organisation=m.organisation)
    created: list[Nonconformity] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: created.append(
            improvement.raise_nonconformity(m.organisation, actor=request.user, **form.cleaned_data)
        ),
        "Nonconformity raised.",
    ):
        return redirect("improvement:nonconformity", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Raise a nonconformity", "back": reverse("improvement:ncs")},
    )


@login_required
def nonconformity(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(
        request,
        Nonconformity.objects.select_related(
            "owner", "requirement", "verified_by", "finding__audit", "incident", "review"
        ).prefetch_related("systems", Prefetch("actions", Action.objects.select_related("owner"))),
        pk,
    )
    open_ = obj.status != NCStatus.CLOSED
    writable = can_write(m, obj) and open_
    verifier = can_write(m, obj, audit_record=True) and open_ and obj.owner_id != request.user.pk
    org = m.organisation
    context = {
        "obj": obj,
        "membership": m,
        "can_write": writable,
        "can_verify": verifier and obj.status == NCStatus.VERIFICATION,
        "can_close": can_write(m, obj, audit_record=True) and open_,
        "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
        "correction_form": forms.CorrectionForm(initial={"correction": obj.correction}),
        "root_form": forms.RootCauseForm(
            initial={"root_cause": obj.root_cause, "method": obj.root_cause_method}
        ),
        "action_form": forms.ActionForm(organisation=org, initial={"owner": obj.owner_id}),
        "verify_form": forms.VerifyForm(),
    }
    return render(request, "improvement/nonconformity.html", context)


@login_required
@require_POST
def nonconformity_step(request: AimwellRequest, pk: Any, step: str) -> HttpResponse:
    verifying = step in ("verify", "close")
    obj, m = fetch(request, Nonconformity.objects.all(), pk, write=True, audit_record=verifying)
    user = request.user
    steps: dict[str, tuple[Any, Callable[[Any], Any], str]] = {
        "correction": (
            forms.CorrectionForm(request.POST),
            lambda f: improvement.record_correction(obj, actor=user, **f.cleaned_data),
            "Correction recorded.",
        ),
        "root-cause": (
            forms.RootCauseForm(request.POST),
            lambda f: improvement.record_root_cause(obj, actor=user, **f.cleaned_data),
            "Root cause recorded.",
        ),
        "action": (
            forms.ActionForm(request.POST, organisation=m.organisation),
            lambda f: improvement.add_corrective_action(obj, actor=user, **f.cleaned_data),
            "Corrective action planned.",
        ),
        "verify": (
            forms.VerifyForm(request.POST),
            lambda f: improvement.verify_effectiveness(obj, actor=user, **f.cleaned_data),
            "Verification recorded.",
        ),
        "close": (None, lambda f: improvement.close_nonconformity(obj, actor=user), "Closed."),
    }
    if step not in steps:
        raise Http404("No such step.")
    form, call, success = steps[step]
    if form is None:
        try:
            call(None)
        except OperationsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)
    elif not attempt(request, form, lambda: call(form), success):
        step_failed(request, form)
    return redirect("improvement:nonconformity", pk=obj.pk)


@login_required
def actions(request: AimwellRequest) -> HttpResponse:
    return list_page(
        request, querysets.ACTIONS, "improvement/actions.html", statuses=ActionStatus.choices
    )


def _action_writable(request: AimwellRequest, action: Action, m: Any) -> bool:
    own = action.owner_id == request.user.pk and can(m, Capability.ACKNOWLEDGE)
    return own or can_write(m, action)


@login_required
def action(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Action.objects.select_related("owner", "nonconformity", "review"), pk)
    return render(
        request,
        "improvement/action.html",
        {
            "obj": obj,
            "can_write": _action_writable(request, obj, m) and obj.status == ActionStatus.OPEN,
            "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
            "complete_form": forms.CompleteForm(),
            "cancel_form": forms.CancelForm(),
        },
    )


@login_required
@require_POST
def action_step(request: AimwellRequest, pk: Any, step: str) -> HttpResponse:
    obj, m = fetch(request, Action.objects.select_related("nonconformity"), pk)
    if not _action_writable(request, obj, m):
        raise PermissionDenied("Your role does not allow changing this.")
    if step == "complete":
        form: Any = forms.CompleteForm(request.POST)
        call = lambda: improvement.complete_action(obj, actor=request.user, **form.cleaned_data)  # noqa: E731
    elif step == "cancel":
        form = forms.CancelForm(request.POST)
        call = lambda: improvement.cancel_action(obj, actor=request.user, **form.cleaned_data)  # noqa: E731
    else:
        raise Http404("No such step.")
    if not attempt(request, form, call, "Saved."):
        step_failed(request, form)
    return redirect("improvement:action", pk=obj.pk)


@login_required
def nonconformity_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Nonconformity.objects.all(), pk, write=True)
    initial = {f: getattr(obj, f) for f in ("title", "description", "severity", "due_date")}
    form = forms.NonconformityEditForm(
        request.POST or None, organisation=m.organisation, initial=initial | {"owner": obj.owner_id}
    )
    back = reverse("improvement:nonconformity", args=[obj.pk])
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: improvement.update_nonconformity(obj, actor=request.user, **form.cleaned_data),
        "Saved.",
    ):
        return redirect(back)
    return edit_page(request, form, f"Edit {obj}", back)
