"""The pre-audit check page: findings grouped by clause, filtered by severity and area, each with
its records and a link to fix it; AIMS managers acknowledge a finding with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import page_access
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.consistency import access, engine, services
from aimwell.consistency.models import Acknowledgement
from aimwell.consistency.registry import AREA_LABELS, RULES, SEVERITY_LABELS, Area, Severity


@login_required
@page_access(Capability.READ_ALL)
def check_page(request: AimwellRequest) -> HttpResponse:
    membership = access.reader(request)
    report = engine.run(membership.organisation)
    severity = request.GET.get("severity", "")
    area = request.GET.get("area", "")
    shown = [
        f
        for f in report.findings
        if (severity not in Severity._value2member_map_ or f.severity.value == severity)
        and (area not in Area._value2member_map_ or f.area.value == area)
    ]
    groups: dict[str, list[engine.Finding]] = {}
    for finding in shown:
        groups.setdefault(finding.rule.clause, []).append(finding)
    return render(
        request,
        "consistency/check.html",
        {
            "report": report,
            "counts": report.counts(),
            "groups": list(groups.items()),
            "shown": len(shown),
            "severity": severity,
            "area": area,
            "severities": [(s.value, SEVERITY_LABELS[s]) for s in Severity],
            "areas": [(a.value, AREA_LABELS[a]) for a in Area],
            "rule_count": len(RULES),
            "can_acknowledge": can(membership, Capability.MANAGE_AIMS),
        },
    )


@login_required
@require_POST
def acknowledge(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    try:
        services.acknowledge(
            membership.organisation,
            request.POST.get("finding", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
            membership=membership,
        )
    except services.ConsistencyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Finding acknowledged; it stays listed as acknowledged.")
    return redirect("consistency:check")


@login_required
@require_POST
def withdraw(request: AimwellRequest, pk: str) -> HttpResponse:
    membership = access.manager(request)
    ack = Acknowledgement.objects.filter(organisation=membership.organisation, pk=pk).first()
    if ack is None:
        from django.http import Http404

        raise Http404("No such acknowledgement.")
    services.withdraw(ack, actor=request.user, membership=membership)
    messages.success(request, "Acknowledgement withdrawn; the finding counts again.")
    return redirect("consistency:check")
