"""Pages of the risk register: the register with its heat map, a risk with its history and
treatment, and the writes behind their forms."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.core.charts import paired_grids
from aimwell.inventory.models import AISystem
from aimwell.risks import edge, exports, querysets
from aimwell.risks.choices import RiskStatus
from aimwell.risks.errors import RiskError
from aimwell.risks.forms import (
    ActionForm,
    ActionStatusForm,
    NoteForm,
    ResidualForm,
    RiskForm,
    SelectControlForm,
    TreatmentForm,
)
from aimwell.risks.models import Risk, SelectedControl, TreatmentAction
from aimwell.risks.services import register, treatment


def _reader(request: AimwellRequest) -> Any:
    return require(request.membership, Capability.READ_ALL)


def _risk(request: AimwellRequest, risk_id: uuid.UUID, *, write: bool = False) -> tuple[Risk, Any]:
    return get_for_user(
        request.user,
        Risk.objects.select_related("system", "owner", "method", "risk_source", "objective"),
        risk_id,
        organisation=request.organisation,
        write=write,
    )


def _filters(request: AimwellRequest) -> querysets.RiskFilters:
    def flag(name: str) -> bool | None:
        return {"yes": True, "no": False}.get(request.GET.get(name) or "")

    def number(name: str) -> int | None:
        value = request.GET.get(name) or ""
        return int(value) if value.isdigit() else None

    return querysets.RiskFilters(
        q=request.GET.get("q") or None,
        system=request.GET.get("system") or None,
        status=request.GET.get("status") or None,
        band=request.GET.get("band") or None,
        owner=request.GET.get("owner") or None,
        overdue=flag("overdue"),
        needs_review=flag("needs_review"),
        likelihood=number("likelihood"),
        consequence=number("consequence"),
        residual=request.GET.get("map") == "residual",
        control=request.GET.get("control") or None,
        sort=request.GET.get("sort") or "reference",
    )


@login_required
@page_access(Capability.READ_ALL)
def home(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    org = membership.organisation
    method = querysets.current_method(org)
    page = querysets.risks_page(
        org, _filters(request), request.GET.get("page"), request.GET.get("page_size")
    )
    residual = request.GET.get("map") == "residual"
    context = {
        "page": page,
        "query": request.GET,
        "method": method,
        "heat": querysets.heat_map(org, method, residual=residual),
        **_movement(org, method),
        "overdue_actions": list(querysets.overdue_actions(org)[:10]),
        **_system_choices(org, request.GET.get("system") or ""),
        "statuses": RiskStatus.choices,
        "can_create": can(membership, Capability.CONTRIBUTE) and method is not None,
        "can_manage": can(membership, Capability.MANAGE_AIMS),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "risks/home.html#table", context)
    return render(request, "risks/home.html", context)


def _movement(org: Any, method: Any) -> dict[str, Any]:
    """The before/after treatment maps, drawn when at least one open risk has a residual score."""
    movement = querysets.heat_movement(org, method)
    if not movement.get("treated"):
        return {"movement": movement, "movement_chart": None}
    chart = paired_grids(
        movement["before"],
        movement["after"],
        movement["colours"],
        titles=("Before treatment (inherent)", "After treatment (residual)"),
        label="Open risks per heat-map cell before and after treatment; the tables below give "
        "the same counts",
    )
    return {"movement": movement, "movement_chart": chart}


# The register's AI-system filter lists this many systems at most (an organisation with
# thousands would send them all in every page); each system's page links to its own risks.
SYSTEM_CHOICES = 100


def _system_choices(org: Any, selected: str) -> dict[str, Any]:
    systems = list(
        AISystem.objects.filter(organisation=org)
        .order_by("name")
        .values("id", "name")[: SYSTEM_CHOICES + 1]
    )
    more = len(systems) > SYSTEM_CHOICES
    systems = systems[:SYSTEM_CHOICES]
    if querysets.is_uuid(selected) and all(str(s["id"]) != selected for s in systems):
        systems += list(AISystem.objects.filter(organisation=org, pk=selected).values("id", "name"))
    return {"systems": systems, "more_systems": more, "system_choices": SYSTEM_CHOICES}


@login_required
def export(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "pdf", "csv"):
        fmt = "xlsx"
    return exports.response(membership.organisation, fmt)


@login_required
def risk_form(request: AimwellRequest, risk_id: uuid.UUID | None = None) -> HttpResponse:
    if risk_id is None:
        membership = require(request.membership, Capability.CONTRIBUTE)
        risk = None
    else:
        risk, membership = _risk(request, risk_id, write=True)
    org = membership.organisation
    method = querysets.current_method(org)
    if risk is None and method is None:
        messages.error(request, "Publish a risk method first: risks are scored against it.")
        return redirect("risks:method")
    initial: dict[str, Any] = {"owner": request.user.pk}
    if request.GET.get("system"):
        initial["system"] = request.GET["system"]
    if risk is not None:
        initial = {f: getattr(risk, f) for f in RiskForm.base_fields}
        initial.update(system=risk.system_id, risk_source=risk.risk_source_id)
        initial.update(objective=risk.objective_id, owner=risk.owner_id)
    form = RiskForm(
        request.POST or None,
        initial=initial,
        organisation=org,
        method=method,
        scoring=risk is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if risk is None:
                risk = register.create_risk(
                    org,
                    actor=request.user,
                    likelihood=form.cleaned_data["likelihood"],
                    consequences=form.consequences(),
                    **form.values(),
                )
            else:
                register.update_risk(risk, actor=request.user, **form.values())
        except RiskError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{risk} was saved.")
            return redirect("risks:detail", risk.pk)
    title = f"Edit {risk}" if risk else "Identify a risk"
    return render(request, "risks/form.html", {"form": form, "title": title, "method": method})


@login_required
def detail(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, membership = _risk(request, risk_id)
    org = membership.organisation
    data = querysets.risk_detail(risk)
    refusal = treatment.acceptance_refusal(membership, risk)
    context = {
        "risk": risk,
        **data,
        "band": risk.method.band(risk.inherent_level),
        "residual_band": risk.method.band(risk.residual_level),
        "current_method": querysets.current_method(org),
        "can_edit": can_write(membership, risk),
        "acceptance_refusal": refusal,
        "treatment_form": TreatmentForm(
            initial={"option": risk.treatment_option, "plan": risk.treatment_plan}
        ),
        "action_form": ActionForm(organisation=org),
        "action_statuses": ActionStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        "annex_a": edge.annex_c("control"),
        "dimension_ratings": [
            (d, (risk.consequences.get(d["key"]) or {}).get("rating"))
            for d in (querysets.current_method(org) or risk.method).dimensions
        ],
    }
    return render(request, "risks/detail.html", context)


def _done(request: AimwellRequest, risk: Risk, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except RiskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("risks:detail", risk.pk)


@login_required
@require_POST
def reassess(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, _ = _risk(request, risk_id, write=True)
    method = querysets.current_method(risk.organisation)
    consequences = {
        d["key"]: {"rating": request.POST.get(f"c_{d['key']}") or None}
        for d in (method.dimensions if method else [])
    }
    return _done(
        request,
        risk,
        lambda: register.reassess(
            risk,
            actor=request.user,
            likelihood=request.POST.get("likelihood"),
            consequences=consequences,
            note=request.POST.get("note", "")[:500],
        ),
        "The risk was reassessed.",
    )


@login_required
@require_POST
def set_treatment(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, _ = _risk(request, risk_id, write=True)
    form = TreatmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a treatment option.")
        return redirect("risks:detail", risk.pk)
    return _done(
        request,
        risk,
        lambda: treatment.set_treatment(risk, actor=request.user, **form.cleaned_data),
        "The treatment was saved.",
    )


@login_required
@require_POST
def residual(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, _ = _risk(request, risk_id, write=True)
    form = ResidualForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the residual likelihood and consequence.")
        return redirect("risks:detail", risk.pk)
    return _done(
        request,
        risk,
        lambda: treatment.assess_residual(risk, actor=request.user, **form.cleaned_data),
        "The residual risk was scored.",
    )


@login_required
@require_POST
def accept(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, membership = _risk(request, risk_id)
    refusal = treatment.acceptance_refusal(membership, risk)
    if refusal and risk.residual_level is not None:
        return render(
            request,
            "error_page.html",
            {"heading": "You cannot accept this risk", "explanation": refusal},
            status=403,
        )
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _done(
        request,
        risk,
        lambda: treatment.accept_residual(
            risk, actor=request.user, membership=membership, note=note
        ),
        "The residual risk was accepted.",
    )


@login_required
@require_POST
def close(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, _ = _risk(request, risk_id, write=True)
    return _done(
        request,
        risk,
        lambda: register.close_risk(
            risk, actor=request.user, note=request.POST.get("note", "")[:500]
        ),
        "The risk was closed.",
    )


@login_required
@require_POST
def add_action(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    risk, membership = _risk(request, risk_id, write=True)
    form = ActionForm(request.POST, organisation=membership.organisation)
    if not form.is_valid():
        messages.error(request, "A treatment action needs a title.")
        return redirect("risks:detail", risk.pk)
    return _done(
        request,
        risk,
        lambda: treatment.add_action(risk, actor=request.user, **form.cleaned_data),
        "The action was added.",
    )


@login_required
@require_POST
def action_status(request: AimwellRequest, action_id: uuid.UUID) -> HttpResponse:
    action, _ = get_for_user(
        request.user,
        TreatmentAction.objects.select_related("risk"),
        action_id,
        organisation=request.organisation,
        write=True,
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        treatment.update_action(action, actor=request.user, status=form.cleaned_data["status"])
        messages.success(request, f"“{action}” is now {action.get_status_display().lower()}.")
    return redirect("risks:detail", action.risk_id)


@login_required
@require_POST
def select_control(request: AimwellRequest, risk_id: uuid.UUID) -> HttpResponse:
    from aimwell.controls.soa import find_control

    risk, membership = _risk(request, risk_id, write=True)
    form = SelectControlForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a control.")
        return redirect("risks:detail", risk.pk)
    node, custom = find_control(membership.organisation, form.cleaned_data["control"].strip())
    if node is None and custom is None:
        messages.error(request, f"No control {form.cleaned_data['control']}.")
        return redirect("risks:detail", risk.pk)
    return _done(
        request,
        risk,
        lambda: treatment.select_control(
            risk,
            actor=request.user,
            node=node,
            custom=custom,
            rationale=form.cleaned_data["rationale"],
        ),
        "The control was selected; the Statement of Applicability now lists this risk.",
    )


@login_required
@require_POST
def deselect_control(
    request: AimwellRequest, risk_id: uuid.UUID, selection_id: uuid.UUID
) -> HttpResponse:
    risk, _ = _risk(request, risk_id, write=True)
    selection = SelectedControl.objects.filter(risk=risk, pk=selection_id).first()
    if selection is not None:
        treatment.deselect_control(selection, actor=request.user)
        messages.success(request, "The control was removed from the treatment.")
    return redirect("risks:detail", risk.pk)
