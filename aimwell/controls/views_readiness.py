"""Readiness, the gap analysis beside the baseline, and the baseline self-assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.access import page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.catalog.models import RequirementNode
from aimwell.controls import readiness, services, soa
from aimwell.controls.errors import ControlsError
from aimwell.controls.models import BaselineEntry, ReadinessStatus
from aimwell.core.charts import line_chart


def _node(ref: str) -> RequirementNode:
    node = RequirementNode.objects.filter(
        framework__urn=soa.ISO,
        framework__organisation__isnull=True,
        ref_id=ref,
        kind__in=["requirement", "control"],
    ).first()
    if node is None:
        raise Http404("No such requirement or control.")
    return node


@login_required
@page_access(Capability.READ_ALL)
def readiness_page(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    report = readiness.current(membership.organisation)
    show = request.GET.get("show") or "gaps"
    items: list[Any]
    if show == "all":
        items = report.items
    elif show == "requirements":
        items = report.requirements
    else:
        items = report.gaps
    return render(
        request,
        "controls/readiness.html",
        {
            "report": report,
            "items": items,
            "show": show,
            "weights": readiness.WEIGHTS,
            "formula": readiness.FORMULA,
            "statuses": ReadinessStatus.choices,
            "can_manage": can(membership, Capability.MANAGE_AIMS),
            "max_trend": max([t["score"] for t in report.trend] + [100]),
            "trend_chart": line_chart(
                [(str(t["date"]), float(t["score"])) for t in report.trend],
                label="Readiness score over time, 0 to 100 (the table below gives the numbers)",
                low=0,
                high=100,
                width=300,
                height=140,
            )
            if report.trend
            else "",
        },
    )


@login_required
@require_POST
def snapshot(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    snap = services.take_snapshot(membership.organisation, actor=request.user)
    messages.success(request, f"Readiness {snap.score:.1f} recorded for the trend.")
    return redirect("controls:readiness")


@login_required
@require_POST
def override(request: AimwellRequest, ref: str) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    node = _node(ref)
    status = request.POST.get("status") or None
    try:
        services.set_override(
            membership.organisation,
            actor=request.user,
            node=node,
            status=status,
            reason=request.POST.get("reason", ""),
        )
    except ControlsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The status of {ref} was {'overridden' if status else 'reset'}.")
    return redirect(reverse("controls:readiness") + "?show=all#r-" + ref)


@login_required
def baseline(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.READ_ALL)
    entries = {
        e.node_id: e for e in BaselineEntry.objects.filter(organisation=membership.organisation)
    }
    nodes = services.baseline_nodes()
    rows = [(n, entries.get(n.pk)) for n in nodes]
    return render(
        request,
        "controls/baseline.html",
        {
            "rows": rows,
            "recorded": len(entries),
            "total": len(nodes),
            "can_manage": can(membership, Capability.MANAGE_AIMS),
            "levels": range(6),
        },
    )


@login_required
@require_POST
def baseline_record(request: AimwellRequest, ref: str) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_AIMS)
    node = _node(ref)
    raw = request.POST.get("maturity", "")
    try:
        services.record_baseline(
            membership.organisation,
            actor=request.user,
            node=node,
            maturity=int(raw) if raw.isdigit() else -1,
            practice=request.POST.get("practice", "")[:5000],
            notes=request.POST.get("notes", "")[:5000],
        )
    except ControlsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Baseline of {ref} recorded.")
    return redirect(reverse("controls:baseline") + f"#b-{ref}")
