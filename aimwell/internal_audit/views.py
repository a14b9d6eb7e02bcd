"""Pages of audit programmes, audits, checklists and findings: thin views that parse, check access,
call a service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from aimwell.accounts.models import Membership
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, Role, can, can_write
from aimwell.core.charts import bar_chart
from aimwell.internal_audit import forms, querysets, services
from aimwell.internal_audit.models import Audit, AuditProgramme, ChecklistItem
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
def programmes(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    form = None
    if can(m, Capability.MANAGE_AIMS) or can(m, Capability.WRITE_AUDIT_RECORDS):
        form = forms.ProgrammeForm(request.POST or None, organisation=m.organisation)
        if request.method == "POST" and attempt(
            request,
            form,
            lambda: services.create_programme(
                m.organisation, actor=request.user, **form.cleaned_data
            ),
            "Programme created.",
        ):
            return redirect("internal_audit:programmes")
    elif request.method == "POST":
        raise PermissionDenied("Your role does not allow this.")
    return list_page(request, querysets.PROGRAMMES, "internal_audit/programmes.html", form=form)


@login_required
def programme(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, AuditProgramme.objects.select_related("owner"), pk)
    audits = obj.audits.select_related("lead_auditor").order_by("planned_start")
    return render(
        request,
        "internal_audit/programme.html",
        {"obj": obj, "audits": audits, "coverage": services.coverage(obj), "membership": m},
    )


def _can_audit(m: Membership) -> bool:
    return can(m, Capability.MANAGE_AIMS) or can(m, Capability.WRITE_AUDIT_RECORDS)


@login_required
def audits(request: AimwellRequest) -> HttpResponse:
    m = member(request)
    # the whole organisation's findings: not for a guest, whose view is narrowed to a scope
    by_clause = (
        [] if m.role == Role.EXTERNAL_AUDITOR else querysets.findings_by_clause(m.organisation)
    )
    return list_page(
        request,
        querysets.AUDITS,
        "internal_audit/audits.html",
        can_create=_can_audit(m),
        statuses=Audit._meta.get_field("status").choices,
        by_clause=by_clause,
        by_clause_chart=bar_chart(
            [(_clause_label(k), n) for k, n in by_clause],
            label="Audit findings per clause (the table below gives the numbers)",
            high=max([n for _, n in by_clause] + [1]),
        )
        if by_clause
        else "",
    )


def _clause_label(key: str) -> str:
    if key == "no clause":
        return "No clause given"
    return f"Clause {key}" if key[0].isdigit() else f"Annex {key}"


@login_required
def audit_new(request: AimwellRequest) -> HttpResponse:
    m = require_any(request, Capability.MANAGE_AIMS, Capability.WRITE_AUDIT_RECORDS)
    form = forms.AuditForm(request.POST or None, organisation=m.organisation)
    created: list[Audit] = []

    def create() -> None:
        data = dict(form.cleaned_data)
        created.append(
            services.create_audit(
                m.organisation,
                actor=request.user,
                systems=data.pop("systems"),
                **data,
            )
        )

    if request.method == "POST" and attempt(request, form, create, "Audit planned."):
        return redirect("internal_audit:audit", pk=created[0].pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": "Plan an audit", "back": reverse("internal_audit:audits")},
    )


@login_required
def audit(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Audit.objects.select_related("lead_auditor", "programme"), pk)
    writable = can_write(m, obj, audit_record=True)
    context = {
        "obj": obj,
        "membership": m,
        "can_write": writable and obj.status == "in_progress",
        "can_plan": writable and obj.status == "planned",
        "can_history": can(m, Capability.VIEW_AUDIT_TRAIL),
        "checklist": obj.checklist.select_related("requirement"),
        "findings": obj.findings.select_related("requirement", "system", "nonconformity"),
        "requirements": obj.requirements.all(),
        "systems": obj.sampled_systems.all(),
        "finding_form": forms.FindingForm(organisation=m.organisation, audit=obj),
        "sample_form": forms.SampleForm(),
        "report_form": forms.ReportForm(),
        "assess_form": forms.AssessForm(),
    }
    return render(request, "internal_audit/audit.html", context)


@login_required
@require_POST
def audit_step(request: AimwellRequest, pk: Any, step: str) -> HttpResponse:
    obj, m = fetch(request, Audit.objects.all(), pk, write=True, audit_record=True)
    forms_by_step: dict[str, tuple[Any, Callable[[Any], Any], str]] = {
        "start": (None, lambda f: services.start_audit(obj, actor=request.user), "Audit started."),
        "cancel": (None, lambda f: services.cancel_audit(obj, actor=request.user), "Cancelled."),
        "sample": (
            forms.SampleForm(request.POST),
            lambda f: services.sample_systems(obj, actor=request.user, **f.cleaned_data),
            "Sample drawn.",
        ),
        "finding": (
            forms.FindingForm(request.POST, organisation=m.organisation, audit=obj),
            lambda f: services.add_finding(obj, actor=request.user, **f.cleaned_data),
            "Finding recorded.",
        ),
        "issue-report": (
            forms.ReportForm(request.POST),
            lambda f: services.issue_report(obj, actor=request.user, **f.cleaned_data),
            "Report issued.",
        ),
    }
    if step not in forms_by_step:
        raise Http404("No such step.")
    form, call, success = forms_by_step[step]
    if form is None:
        try:
            call(None)
        except OperationsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)
    elif not attempt(request, form, lambda: call(form), success):
        step_failed(request, form)
    return redirect("internal_audit:audit", pk=obj.pk)


@login_required
@require_POST
def audit_assess(request: AimwellRequest, pk: Any, item_pk: Any) -> HttpResponse:
    obj, _ = fetch(request, Audit.objects.all(), pk, write=True, audit_record=True)
    item = ChecklistItem.objects.filter(audit=obj, pk=item_pk).select_related("requirement").first()
    if item is None:
        raise Http404("Not found.")
    form = forms.AssessForm(request.POST)
    ok = attempt(
        request,
        form,
        lambda: services.assess(item, actor=request.user, **form.cleaned_data),
        "Saved.",
    )
    if request.headers.get("HX-Request") == "true":
        list(messages.get_messages(request))  # the row shows the result
        return render(
            request,
            "internal_audit/_checklist_row.html",
            {"item": item, "obj": obj, "can_write": True, "error": None if ok else form.errors},
        )
    if not ok:
        step_failed(request, form)
    return redirect("internal_audit:audit", pk=obj.pk)


@login_required
def audit_report(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, _ = fetch(request, Audit.objects.select_related("lead_auditor", "programme"), pk)
    return render(request, "internal_audit/audit_report.html", _report_context(obj))


@login_required
def audit_report_pdf(request: AimwellRequest, pk: Any) -> HttpResponse:
    from weasyprint import HTML

    obj, _ = fetch(request, Audit.objects.select_related("lead_auditor", "programme"), pk)
    html = render_to_string("internal_audit/audit_report_pdf.html", _report_context(obj))
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{obj.reference}-report.pdf"'
    return response


def _report_context(obj: Audit) -> dict[str, Any]:
    findings = list(obj.findings.select_related("requirement", "system", "nonconformity"))
    checklist = list(obj.checklist.select_related("requirement"))
    tally: dict[str, int] = {}
    for item in checklist:
        tally[item.get_result_display()] = tally.get(item.get_result_display(), 0) + 1
    kinds: dict[str, int] = {}
    for finding in findings:
        kinds[finding.get_kind_display()] = kinds.get(finding.get_kind_display(), 0) + 1
    return {
        "obj": obj,
        "findings": findings,
        "checklist": checklist,
        "tally": tally,
        "kinds": kinds,
        "requirements": list(obj.requirements.all()),
        "systems": list(obj.sampled_systems.all()),
    }


@login_required
def audit_edit(request: AimwellRequest, pk: Any) -> HttpResponse:
    obj, m = fetch(request, Audit.objects.all(), pk, write=True, audit_record=True)
    initial = {
        f: getattr(obj, f)
        for f in (
            "title",
            "programme",
            "scope",
            "criteria",
            "planned_start",
            "planned_end",
            "processes",
        )
    }
    initial |= {
        "lead_auditor": obj.lead_auditor_id,
        "requirements": obj.requirements.all(),
        "systems": obj.sampled_systems.all(),
    }
    form = forms.AuditForm(request.POST or None, organisation=m.organisation, initial=initial)

    def save() -> None:
        data = dict(form.cleaned_data)
        nodes, systems = data.pop("requirements"), data.pop("systems")
        services.set_scope(obj, actor=request.user, requirements=nodes, systems=systems)
        services.update_audit(obj, actor=request.user, **data)

    back = reverse("internal_audit:audit", args=[obj.pk])
    if request.method == "POST" and attempt(request, form, save, "Audit saved."):
        return redirect(back)
    return edit_page(request, form, f"Edit {obj}", back)
