"""Certification pages: the project with its cycle timeline, an audit with its findings and final
checks, the certificate, and the external auditor's workspace."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aimwell.accounts.access import page_access
from aimwell.accounts.pickers import member_options
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.certification import (
    access,
    checks,
    forms,
    querysets,
    sampling,
    services,
    workspace,
)
from aimwell.certification.choices import AuditKind
from aimwell.certification.models import ExternalAudit


def _reports_url() -> str | None:
    # The reports app may not expose its page yet; the project page must render either way.
    try:
        return reverse("reports:home")
    except NoReverseMatch:
        return None


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


@login_required
@page_access(Capability.READ_ALL)
def home(request: AimwellRequest) -> HttpResponse:
    membership = access.reader(request)
    org = membership.organisation
    if workspace.is_guest(membership):
        mine = workspace.guest_engagements(membership)
        return render(request, "certification/guest_home.html", {"engagements": mine})
    project = services.project_of(org)
    audits = list(querysets.audits(project)) if project else []
    is_manager = can(membership, Capability.MANAGE_AIMS)
    context = {
        "project": project,
        "documents": list(project.submitted_documents.all()) if project else [],
        "audits": audits,
        "certificate": project.certificates.first() if project else None,
        "progress": checks.stage_progress(org),
        "my_asks": list(querysets.asks_for(request.user, org)),
        "open_asks": list(querysets.open_asks(org)) if is_manager else [],
        "engagements": list(querysets.engagements(organisation=org)[:20]) if is_manager else [],
        "activity": querysets.guest_activity(org) if is_manager else [],
        "is_manager": is_manager,
        "reports_url": _reports_url(),
        "answer_form": forms.AnswerForm(organisation=org, user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "certification/home.html", context)


@login_required
def project_edit(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    org = membership.organisation
    project = services.project_of(org)
    initial: dict[str, Any] = {}
    if project is not None:
        initial = {f: getattr(project, f) for f in services.PROJECT_FIELDS}
        initial["submitted_documents"] = list(project.submitted_documents.all())
    form = forms.ProjectForm(request.POST or None, initial=initial, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        docs = data.pop("submitted_documents")
        try:
            project = services.get_or_create_project(org, actor=request.user)
            services.update_project(project, actor=request.user, submitted_documents=docs, **data)
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The certification project was saved.")
            return redirect("certification:home")
    return render(
        request, "certification/form.html", {"form": form, "title": "Body and application"}
    )


@login_required
def audit_form(request: AimwellRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    audit: ExternalAudit | None = None
    if pk is None:
        membership = access.manager(request)
        initial: dict[str, Any] = {"kind": request.GET.get("kind", AuditKind.STAGE_1)}
        initial["all_systems"] = True
    else:
        audit, membership = access.get_audit(request, pk, write=True)
        initial = {f: getattr(audit, f) for f in services.AUDIT_EDITABLE}
        initial.update(kind=audit.kind, systems=list(audit.systems.all()))
    org = membership.organisation
    form = forms.AuditForm(request.POST or None, initial=initial, organisation=org)
    if audit is not None:
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind, chosen = data.pop("kind"), data.pop("systems")
        try:
            if audit is None:
                project = services.get_or_create_project(org, actor=request.user)
                audit = services.plan_audit(
                    project, actor=request.user, kind=kind, systems=chosen, **data
                )
            else:
                services.update_audit(audit, actor=request.user, systems=chosen, **data)
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{audit}” was saved.")
            return redirect("certification:audit", audit.pk)
    title = f"Edit {audit}" if audit else "Plan an external audit"
    return render(request, "certification/form.html", {"form": form, "title": title})


@login_required
def audit_detail(request: AimwellRequest, pk: uuid.UUID) -> HttpResponse:
    audit, membership = access.get_audit(request, pk)
    org = membership.organisation
    is_manager = can(membership, Capability.MANAGE_AIMS)
    engagements = access.visible_engagements(membership, querysets.engagements(audit))
    context = {
        "audit": audit,
        "systems": list(audit.systems.all()),
        "findings": list(querysets.findings(audit)),
        "checklist": checks.checklist(org),
        "engagements": list(engagements),
        "is_manager": is_manager and audit.is_open,
        "can_manage": is_manager,
        "finding_form": forms.FindingForm(organisation=org),
        "complete_form": forms.CompleteForm(),
        "cancel_form": forms.CancelForm(),
        "engagement_form": forms.EngagementForm(organisation=org),
    }
    return render(request, "certification/audit.html", context)


def _invalid(request: AimwellRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _run(request: AimwellRequest, call: Callable[[], Any], done: str) -> None:
    try:
        call()
    except services.CertificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


@login_required
@require_POST
def audit_step(request: AimwellRequest, pk: uuid.UUID, step: str) -> HttpResponse:
    audit, membership = access.get_audit(request, pk, write=True)
    org, user = membership.organisation, request.user
    back = redirect("certification:audit", audit.pk)
    if step == "start":
        _run(request, lambda: services.start_audit(audit, actor=user), "The audit has started.")
        return back
    form_class: Any = {
        "complete": forms.CompleteForm,
        "cancel": forms.CancelForm,
        "finding": forms.FindingForm,
        "engage": forms.EngagementForm,
    }.get(step)
    if form_class is None:
        raise Http404("No such step.")
    needs_org = step in ("finding", "engage")
    form = form_class(request.POST, organisation=org) if needs_org else form_class(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return back
    d = form.cleaned_data
    if step == "complete":
        _run(
            request,
            lambda: services.complete_audit(
                audit, actor=user, outcome=d["outcome"], notes=d["notes"], on=d["on"]
            ),
            "The audit is completed.",
        )
    elif step == "cancel":
        _run(
            request,
            lambda: services.cancel_audit(audit, actor=user, reason=d["reason"]),
            "Cancelled.",
        )
    elif step == "finding":
        _run(
            request,
            lambda: services.record_finding(audit, actor=user, **d),
            "The finding was recorded.",
        )
    else:
        guest = d["guest"].memberships.get(organisation=org)
        _run(
            request,
            lambda: workspace.grant_engagement(
                audit, actor=user, membership=guest, ends_at=_end_of(d["ends_on"])
            ),
            f"{d['guest']} can work on this audit until {d['ends_on']:%d %b %Y}.",
        )
    return back


@login_required
def certificate_new(request: AimwellRequest) -> HttpResponse:
    membership = access.manager(request)
    project = services.project_of(membership.organisation)
    form = forms.CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if project is None:
                raise services.CertificationError("Record the certification body first.")
            cert = services.record_certificate(project, actor=request.user, **form.cleaned_data)
        except services.CertificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Certificate {cert.number} recorded; surveillance and recertification audits "
                "are planned.",
            )
            return redirect("certification:home")
    return render(
        request, "certification/form.html", {"form": form, "title": "Record the certificate"}
    )


@login_required
def workspace_page(request: AimwellRequest, pk: uuid.UUID) -> HttpResponse:
    engagement, membership = access.get_engagement(request, pk)
    org = membership.organisation
    data = querysets.workspace(engagement)
    members = reverse("certification:workspace-members", args=[engagement.pk])
    context = {
        "engagement": engagement,
        "audit": engagement.audit,
        **data,
        "overdue": querysets.overdue(data["asks"]),
        "sampled": [(s, sampling.record_url(s)) for s in data["samples"]],
        "can_work": workspace.can_work_in(membership, engagement),
        "can_manage": can(membership, Capability.MANAGE_AIMS),
        "sample_form": forms.SampleForm(engagement=engagement),
        "comment_form": forms.CommentForm(),
        "ask_form": forms.AskForm(organisation=org, member_search=members),
        "finding_form": forms.FindingForm(organisation=org, member_search=members),
        "answer_form": forms.AnswerForm(organisation=org, user=request.user),
        "membership": membership,
        "today": timezone.localdate(),
    }
    return render(request, "certification/workspace.html", context)


@login_required
def workspace_pick(request: AimwellRequest, pk: uuid.UUID) -> HttpResponse:
    """The sample picker's search: records of the chosen type within the engagement's audit."""
    engagement, membership = access.get_engagement(request, pk)
    workspace.require_work_in(membership, engagement)
    query = request.GET.get("q", "").strip()[:200]
    found = sampling.candidates(engagement, request.GET.get("object_type", ""), query)
    options = [{"value": c.value, "label": c.label, "detail": c.detail} for c in found]
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
def workspace_members(request: AimwellRequest, pk: uuid.UUID) -> HttpResponse:
    """The workspace's member picker (whom to ask, who corrects a finding): the organisation's own
    people, to those who may work in this engagement, a guest included."""
    engagement, membership = access.get_engagement(request, pk)
    workspace.require_work_in(membership, engagement)
    query = request.GET.get("q", "").strip()[:200]
    options = member_options(membership.organisation, query)
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
@require_POST
def workspace_step(request: AimwellRequest, pk: uuid.UUID, step: str) -> HttpResponse:
    engagement, membership = access.get_engagement(request, pk)
    org, user = membership.organisation, request.user
    back = redirect("certification:workspace", engagement.pk)
    if step == "revoke":
        access.manager(request)
        workspace.revoke_engagement(engagement, actor=user)
        messages.success(request, "The engagement was revoked; the guest's access has ended.")
        return back
    workspace.require_work_in(membership, engagement)
    form_class: Any = {
        "sample": forms.SampleForm,
        "comment": forms.CommentForm,
        "ask": forms.AskForm,
        "finding": forms.FindingForm,
    }.get(step)
    if form_class is None:
        raise Http404("No such step.")
    extra: dict[str, Any] = {"ask": {"organisation": org}, "finding": {"organisation": org}}.get(
        step, {"engagement": engagement} if step == "sample" else {}
    )
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        _invalid(request, form)
        return back
    d = form.cleaned_data
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "sample": (lambda: workspace.add_sample(engagement, actor=user, **d), "Sample added."),
        "comment": (lambda: workspace.add_comment(engagement, actor=user, **d), "Comment added."),
        "ask": (lambda: workspace.ask_evidence(engagement, actor=user, **d), "Evidence requested."),
        "finding": (
            lambda: services.record_finding(
                engagement.audit, actor=user, engagement=engagement, **d
            ),
            "Finding recorded.",
        ),
    }
    call, done = calls[step]
    _run(request, call, done)
    return back


@login_required
@require_POST
def ask_answer(request: AimwellRequest, pk: uuid.UUID) -> HttpResponse:
    ask, membership = access.get_ask(request, pk)
    if not workspace.can_answer(membership, ask):
        raise PermissionDenied("Only the owner of the request or an AIMS manager can answer it.")
    form = forms.AnswerForm(request.POST, organisation=membership.organisation, user=request.user)
    if form.is_valid():
        _run(
            request,
            lambda: workspace.answer_ask(ask, actor=request.user, **form.cleaned_data),
            "Thank you: the auditor sees your answer.",
        )
    else:
        _invalid(request, form)
    return redirect(request.POST["next"] if _safe_next(request) else "certification:home")


def _safe_next(request: AimwellRequest) -> bool:
    target = request.POST.get("next", "")
    return target.startswith("/certification/") and "//" not in target
