"""Scope pages (4.3): the approved statement and the draft, the draft editor, the version
history with a diff against the previous version, and a preview drafted from live data."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from aimwell.accounts.access import require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.context.errors import ContextError
from aimwell.context.forms import ScopeDraftForm
from aimwell.context.querysets import scope_versions_for
from aimwell.context.services import scope as services
from aimwell.core.markdown import render_markdown


def _reader(request: AimwellRequest, capability: Capability = Capability.READ_PUBLISHED) -> Any:
    return require(request.membership, capability)


@login_required
def scope(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request)
    org = membership.organisation
    full = can(membership, Capability.READ_ALL)
    approved = services.latest_approved(org)
    draft = services.current_draft(org) if full else None
    changes = (
        services.facts_changes(approved.generated_from, services.scope_facts(org))
        if approved is not None and full
        else []
    )
    context = {
        "approved": approved,
        "approved_html": render_markdown(approved.text) if approved else "",
        "draft": draft,
        "changes": changes,
        "versions": scope_versions_for(membership),
        "can_write": can(membership, Capability.MANAGE_AIMS),
        "full": full,
    }
    return render(request, "context/scope.html", context)


@login_required
def scope_draft(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request, Capability.MANAGE_AIMS)
    draft = services.current_draft(membership.organisation)
    if draft is None:
        messages.error(request, "No draft is open; start one first.")
        return redirect("context:scope")
    form = ScopeDraftForm(
        request.POST or None, initial={"text": draft.text, "change_note": draft.change_note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(draft, actor=request.user, **form.cleaned_data)
        except ContextError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved draft v{draft.number}.")
            return redirect("context:scope-draft")
    text = form.data.get("text", draft.text) if form.is_bound else draft.text
    context = {"draft": draft, "form": form, "preview": render_markdown(text)}
    return render(request, "context/scope_draft.html", context)


def _post_only(request: AimwellRequest) -> Any:
    membership = _reader(request, Capability.MANAGE_AIMS)
    if request.method != "POST":
        raise Http404("Use the buttons on the scope page.")
    return membership


@login_required
def scope_start(request: AimwellRequest) -> HttpResponse:
    membership = _post_only(request)
    try:
        draft = services.start_draft(
            membership.organisation,
            actor=request.user,
            from_live_data=request.POST.get("source") == "live",
        )
    except ContextError as exc:
        messages.error(request, str(exc))
        return redirect("context:scope")
    messages.success(request, f"Started draft v{draft.number}.")
    return redirect("context:scope-draft")


@login_required
def scope_regenerate(request: AimwellRequest) -> HttpResponse:
    membership = _post_only(request)
    draft = services.current_draft(membership.organisation)
    if draft is None:
        raise Http404("No draft is open.")
    services.regenerate_draft(draft, actor=request.user)
    messages.success(request, "Redrafted from live data; your earlier text is in the history.")
    return redirect("context:scope-draft")


@login_required
def scope_approve(request: AimwellRequest) -> HttpResponse:
    membership = _post_only(request)
    draft = services.current_draft(membership.organisation)
    if draft is None:
        raise Http404("No draft is open.")
    try:
        services.approve_draft(draft, membership=membership, actor=request.user)
    except ContextError as exc:
        messages.error(request, str(exc))
        return redirect("context:scope-draft")
    messages.success(request, f"Approved scope v{draft.number}.")
    return redirect("context:scope")


@login_required
def scope_discard(request: AimwellRequest) -> HttpResponse:
    membership = _post_only(request)
    draft = services.current_draft(membership.organisation)
    if draft is None:
        raise Http404("No draft is open.")
    services.discard_draft(draft, actor=request.user)
    messages.success(request, f"Discarded draft v{draft.number}.")
    return redirect("context:scope")


@login_required
def scope_version(request: AimwellRequest, number: int) -> HttpResponse:
    membership = _reader(request)
    versions = scope_versions_for(membership)
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    previous = versions.filter(number__lt=number).order_by("-number").first()
    diff = []
    if previous is not None:
        diff = list(
            difflib.unified_diff(
                previous.text.splitlines(),
                version.text.splitlines(),
                f"v{previous.number}",
                f"v{version.number}",
                lineterm="",
            )
        )
    context = {
        "version": version,
        "html": render_markdown(version.text),
        "previous": previous,
        "diff": diff,
    }
    return render(request, "context/scope_version.html", context)


@login_required
def scope_preview(request: AimwellRequest) -> HttpResponse:
    membership = _reader(request, Capability.READ_ALL)
    text = services.draft_text(services.scope_facts(membership.organisation))
    return render(
        request, "context/scope_preview.html", {"text": text, "html": render_markdown(text)}
    )
