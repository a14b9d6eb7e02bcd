"""Pages of nonconformities, actions and management reviews."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.roles import Capability, can, can_write
from aimwell.operations import forms
from aimwell.operations.choices import ActionStatus, NCSource, NCStatus, Severity
from aimwell.operations.errors import OperationsError
from aimwell.operations.models import Action, ManagementReview, Nonconformity
from aimwell.operations.services import improvement, reviews
from aimwell.operations.views import (
    attempt,
    fetch,
    list_page,
    member,
    require_any,
    step_failed,
)

# Nonconformities ---------------------------------------------------------------------------------


@login_required
def nonconformities(request: HttpRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        "nonconformities",
        "operations/nonconformities.html",
        can_create=can(m, Capability.MANAGE_AIMS) or can(m, Capability.WRITE_AUDIT_RECORDS),
        statuses=NCStatus.choices,
        sources=NCSource.choices,
        severities=Severity.choices,
    )


@login_required
def nonconformity_new(request: HttpRequest) -> HttpResponse:
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
        return redirect("operations:nonconformity", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Raise a nonconformity", "back": reverse("operations:ncs")},
    )


@login_required
def nonconformity(request: HttpRequest, pk: Any) -> HttpResponse:
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
    return render(request, "operations/nonconformity.html", context)


@login_required
@require_POST
def nonconformity_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
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
    return redirect("operations:nonconformity", pk=obj.pk)


# Actions -----------------------------------------------------------------------------------------


@login_required
def actions(request: HttpRequest) -> HttpResponse:
    return list_page(request, "actions", "operations/actions.html", statuses=ActionStatus.choices)


def _action_writable(request: HttpRequest, action: Action, m: Any) -> bool:
    own = action.owner_id == request.user.pk and can(m, Capability.ACKNOWLEDGE)
    return own or can_write(m, action)


@login_required
def action(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Action.objects.select_related("owner", "nonconformity", "review"), pk)
    return render(
        request,
        "operations/action.html",
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
def action_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
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
    return redirect("operations:action", pk=obj.pk)


# Management reviews ------------------------------------------------------------------------------


@login_required
def reviews_list(request: HttpRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request, "reviews", "operations/reviews.html", can_create=can(m, Capability.MANAGE_AIMS)
    )


@login_required
def review_new(request: HttpRequest) -> HttpResponse:
    m = member(request, Capability.MANAGE_AIMS)
    form = forms.ReviewForm(request.POST or None, organisation=m.organisation)
    created: list[ManagementReview] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: created.append(
            reviews.plan_review(m.organisation, actor=request.user, **form.cleaned_data)
        ),
        "Management review planned.",
    ):
        return redirect("operations:review", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Plan a management review", "back": reverse("operations:reviews")},
    )


INPUT_LABELS = [
    ("previous_actions", "a) Status of actions from previous management reviews"),
    ("context_changes", "b) Changes in external and internal issues and interested parties"),
    ("planned_changes", "b) Changes to the AIMS and AI systems (change requests, 6.3)"),
    ("nonconformities", "d) Nonconformities"),
    ("corrective_actions", "d) Corrective actions"),
    ("monitoring", "d) Monitoring and measurement results"),
    ("audits", "d) Audit results"),
    ("objectives", "d) Fulfilment of AI objectives"),
    ("incidents", "AI incidents (A.8.4)"),
    ("feedback", "c) Feedback from interested parties: concerns reported"),
    ("improvement", "e) Opportunities for continual improvement"),
]


@login_required
def review(request: HttpRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(
        request,
        ManagementReview.objects.select_related("chair").prefetch_related(
            Prefetch("actions", Action.objects.select_related("owner"))
        ),
        pk,
    )
    writable = can(m, Capability.MANAGE_AIMS)
    inputs = [(label, obj.inputs.get(key)) for key, label in INPUT_LABELS if key in obj.inputs]
    return render(
        request,
        "operations/review.html",
        {
            "obj": obj,
            "inputs": inputs,
            "can_write": writable,
            "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
            "notes_form": forms.ReviewNotesForm(
                initial={k: getattr(obj, k) for k in ("input_notes", "minutes", "decisions")}
            ),
            "hold_form": forms.HoldForm(
                initial={
                    "held_on": obj.planned_on,
                    "minutes": obj.minutes,
                    "decisions": obj.decisions,
                }
            ),
            "action_form": forms.ActionForm(organisation=m.organisation),
        },
    )


@login_required
@require_POST
def review_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    member(request, Capability.MANAGE_AIMS)
    obj, m = fetch(request, ManagementReview.objects.all(), pk, write=True)
    user = request.user
    steps: dict[str, tuple[Any, Callable[[Any], Any], str]] = {
        "inputs": (None, lambda f: reviews.gather_inputs(obj, actor=user), "Inputs gathered."),
        "notes": (
            forms.ReviewNotesForm(request.POST),
            lambda f: reviews.update_review(obj, actor=user, **f.cleaned_data),
            "Saved.",
        ),
        "hold": (
            forms.HoldForm(request.POST),
            lambda f: reviews.hold_review(obj, actor=user, **f.cleaned_data),
            "Review recorded as held.",
        ),
        "action": (
            forms.ActionForm(request.POST, organisation=m.organisation),
            lambda f: improvement.add_review_action(obj, actor=user, **f.cleaned_data),
            "Action added.",
        ),
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
    return redirect("operations:review", pk=obj.pk)
