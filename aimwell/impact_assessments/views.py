"""Pages of AI system impact assessments."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.impact_assessments import querysets
from aimwell.impact_assessments import services as impact
from aimwell.impact_assessments.choices import FRIA_FIELDS, IMPACT_AREAS
from aimwell.impact_assessments.errors import ImpactError
from aimwell.impact_assessments.forms import ImpactForm
from aimwell.impact_assessments.models import ImpactAssessment
from aimwell.impact_assessments.review import IMPACT_SUBJECT
from aimwell.inventory.models import AISystem
from aimwell.risks.review import open_flags


def _assessment(
    request: AimwellRequest, assessment_id: uuid.UUID, *, write: bool = False
) -> tuple[ImpactAssessment, Any]:
    return get_for_user(
        request.user,
        ImpactAssessment.objects.select_related("system", "owner"),
        assessment_id,
        organisation=request.organisation,
        write=write,
    )


@login_required
def assessments(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    org = membership.organisation
    items = querysets.assessments_list(org, request.GET.get("system") or None)
    covered = {i.system_id for i in items}
    uncovered = AISystem.objects.filter(organisation=org, in_scope=True).exclude(pk__in=covered)
    return render(
        request,
        "impact_assessments/assessments.html",
        {
            "items": items,
            "uncovered": uncovered.order_by("name"),
            "can_create": can(membership, Capability.CONTRIBUTE),
        },
    )


class NewAssessmentForm(forms.Form):
    system = forms.ModelChoiceField(queryset=AISystem.objects.none())

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = AISystem.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")


@login_required
def assessment_new(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.CONTRIBUTE)
    org = membership.organisation
    form = NewAssessmentForm(
        request.POST or None,
        initial={"system": request.GET.get("system")},
        organisation=org,
    )
    if request.method == "POST" and form.is_valid():
        system = form.cleaned_data["system"]
        if not can_write(membership, system):
            form.add_error("system", "You may assess only the AI systems you own.")
        else:
            assessment = impact.create_assessment(
                org, actor=request.user, system=system, owner=request.user
            )
            messages.success(request, f"{assessment} was started from the system's record.")
            return redirect("impact_assessments:edit", assessment.pk)
    return render(
        request,
        "risks/form.html",
        {"form": form, "title": "Start an impact assessment", "method": None},
    )


@login_required
def assessment_detail(request: AimwellRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment, membership = _assessment(request, assessment_id)
    flags = open_flags(IMPACT_SUBJECT, [assessment.pk]).get(str(assessment.pk), [])
    return render(
        request,
        "impact_assessments/assessment_detail.html",
        {
            "a": assessment,
            "rows": assessment.area_rows(),
            "fria_rows": [(label, assessment.fria.get(key, "")) for key, label in FRIA_FIELDS],
            "problems": impact.approval_problems(assessment),
            "flags": flags,
            "derived": list(assessment.derived_risks.all()),
            "can_edit": can_write(membership, assessment),
            "can_approve": can(membership, Capability.MANAGE_AIMS),
        },
    )


@login_required
def assessment_edit(request: AimwellRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment, membership = _assessment(request, assessment_id, write=True)
    fria = impact.fria_required(assessment.system) or bool(assessment.fria)
    form = ImpactForm(
        request.POST or None,
        initial=ImpactForm.initial_from(assessment),
        organisation=membership.organisation,
        fria=fria,
    )
    if request.method == "POST" and form.is_valid():
        try:
            impact.update_assessment(assessment, actor=request.user, **form.values())
        except ImpactError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{assessment} was saved.")
            return redirect("impact_assessments:detail", assessment.pk)
    return render(
        request,
        "impact_assessments/assessment_form.html",
        {"form": form, "a": assessment, "areas": IMPACT_AREAS, "fria": fria},
    )


@login_required
@require_POST
def assessment_approve(request: AimwellRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment, membership = _assessment(request, assessment_id)
    require(membership, Capability.MANAGE_AIMS)
    try:
        impact.approve(
            assessment,
            actor=request.user,
            membership=membership,
            note=request.POST.get("note", "")[:500],
        )
    except ImpactError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{assessment} was approved.")
    return redirect("impact_assessments:detail", assessment.pk)


@login_required
@require_POST
def assessment_to_risk(request: AimwellRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment, _ = _assessment(request, assessment_id, write=True)
    try:
        risk = impact.risk_from_impact(assessment, request.POST.get("area", ""), actor=request.user)
    except ImpactError as exc:
        messages.error(request, str(exc))
        return redirect("impact_assessments:detail", assessment.pk)
    messages.success(request, f"{risk} was added to the register; decide its treatment.")
    return redirect("risks:detail", risk.pk)
