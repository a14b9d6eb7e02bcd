"""Pages of management reviews: thin views that parse, check access, call a service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.improvement import services as improvement
from aimwell.improvement.forms import ActionForm
from aimwell.improvement.models import Action
from aimwell.management_review import forms, querysets
from aimwell.management_review import services as reviews
from aimwell.management_review.models import ManagementReview
from aimwell.operations.errors import OperationsError
from aimwell.operations.pages import (
    attempt,
    fetch,
    list_page,
    member,
    step_failed,
)


@login_required
def reviews_list(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    return list_page(
        request,
        querysets.REVIEWS,
        "management_review/reviews.html",
        can_create=can(m, Capability.MANAGE_AIMS),
    )


@login_required
def review_new(request: AimwellRequest) -> HttpResponse:
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
        return redirect("management_review:review", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {
            "form": form,
            "title": "Plan a management review",
            "back": reverse("management_review:reviews"),
        },
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
def review(request: AimwellRequest, pk: Any) -> HttpResponse:
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
        "management_review/review.html",
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
            "action_form": ActionForm(organisation=m.organisation),
        },
    )


@login_required
@require_POST
def review_step(request: AimwellRequest, pk: Any, step: str) -> HttpResponse:
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
            ActionForm(request.POST, organisation=m.organisation),
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
    return redirect("management_review:review", pk=obj.pk)
