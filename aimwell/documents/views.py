"""Document pages: register, checklist, templates, a document with its versions, the draft
editor (with the conflict page), lifecycle actions, acknowledgements and PDFs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimwell.accounts.access import get_for_user, page_access, require
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can, can_write
from aimwell.core.markdown import render_markdown
from aimwell.documents import doc_templates, services
from aimwell.documents.forms import DocumentForm, DraftForm, NoteForm
from aimwell.documents.models import (
    Document,
    DocumentType,
    DocumentVersion,
    DraftConflict,
    VersionStatus,
)
from aimwell.documents.pickers import document_options
from aimwell.documents.querysets import (
    STATE_LABELS,
    acknowledgement_status,
    checklist,
    checklist_summary,
    documents_for,
    filter_documents,
    pending_acknowledgements,
)
from aimwell.documents.rendering import version_pdf

ACTIONS = {"submit", "approve", "reject", "publish", "new-version", "reviewed", "retire"}


def _membership(request: AimwellRequest, capability: Capability = Capability.READ_PUBLISHED) -> Any:
    return require(request.membership, capability)


def _document(request: AimwellRequest, pk: Any, *, write: bool = False) -> tuple[Document, Any]:
    return get_for_user(
        request.user,
        Document.objects.with_related(),
        pk,
        organisation=request.organisation,
        write=write,
        capability=Capability.READ_PUBLISHED,
    )


@login_required
@page_access(Capability.READ_PUBLISHED)
def pick(request: AimwellRequest) -> HttpResponse:
    """The document picker's search (a certification application's documents): live documents
    this member may read, by reference or title."""
    membership = _membership(request)
    query = request.GET.get("q", "").strip()[:200]
    options = document_options(request.user, membership.organisation, query)
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
@page_access(Capability.READ_PUBLISHED)
def home(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request)
    status = request.GET.get("status", "")
    doc_type = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()[:100]
    docs = filter_documents(
        documents_for(request.user, membership.organisation),
        status=status,
        doc_type=doc_type,
        q=query,
    )
    context = {
        "documents": docs,
        "status": status,
        "doc_type": doc_type,
        "query": query,
        "statuses": [*VersionStatus.choices, ("overdue", "Review overdue")],
        "types": DocumentType.choices,
        "pending": pending_acknowledgements(membership),
        "reads_all": can(membership, Capability.READ_ALL),
        "can_create": can(membership, Capability.CONTRIBUTE),
        "summary": checklist_summary(membership.organisation)
        if can(membership, Capability.READ_ALL)
        else None,
    }
    is_htmx = request.headers.get("HX-Request") == "true"
    return render(
        request, "documents/home.html#results" if is_htmx else "documents/home.html", context
    )


@login_required
def checklist_page(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request, Capability.READ_ALL)
    return render(
        request,
        "documents/checklist.html",
        {
            "rows": checklist(membership.organisation),
            "summary": checklist_summary(membership.organisation),
            "labels": STATE_LABELS,
            "can_create": can(membership, Capability.CONTRIBUTE),
        },
    )


@login_required
def templates_page(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request, Capability.CONTRIBUTE)
    if request.method == "POST":
        key = request.POST.get("template", "")
        try:
            document = services.create_from_template(
                membership.organisation,
                key,
                actor=request.user,
                owner=None if can(membership, Capability.MANAGE_AIMS) else request.user,
            )
        except services.DocumentError as exc:
            messages.error(request, str(exc))
            return redirect("documents:templates")
        messages.success(request, f"Created {document} as a draft from the template.")
        return redirect("documents:detail", pk=document.pk)
    existing = set(
        Document.objects.filter(organisation=membership.organisation, is_retired=False)
        .exclude(template_key="")
        .values_list("template_key", flat=True)
    )
    return render(
        request,
        "documents/templates.html",
        {
            "templates": doc_templates.TEMPLATES,
            "existing": existing,
            "selected": request.GET.get("t"),
        },
    )


@login_required
def new_document(request: AimwellRequest) -> HttpResponse:
    membership = _membership(request, Capability.CONTRIBUTE)
    form = DocumentForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"]
        if not can(membership, Capability.MANAGE_AIMS):
            owner = request.user  # contributors create documents they own
        try:
            document = services.create_document(
                membership.organisation,
                title=data["title"],
                doc_type=data["doc_type"],
                reference=data["reference"],
                owner=owner,
                classification=data["classification"],
                approver=data["approver"] or None,
                requirement_urns=data["requirements"],
                review_interval_months=data["review_interval_months"],
                acknowledgement_roles=data["acknowledgement_roles"],
                actor=request.user,
            )
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Created {document}; write its first draft.")
            return redirect("documents:edit", pk=document.pk)
    return render(request, "documents/form.html", {"form": form, "document": None})


def _detail_context(
    request: AimwellRequest, document: Document, membership: Any, version: DocumentVersion
) -> dict[str, Any]:
    reads_all = can(membership, Capability.READ_ALL)
    writable = can_write(membership, document)
    versions = (
        list(document.versions.select_related("approved_by", "published_by")) if reads_all else []
    )
    working = document.working_version
    return {
        "document": document,
        "version": version,
        "body": render_markdown(version.body),
        "versions": versions,
        "working": working if reads_all else None,
        "reads_all": reads_all,
        "writable": writable,
        "approval_refusal": services.approval_refusal(membership, working)
        if working is not None and working.status == VersionStatus.IN_REVIEW
        else None,
        "can_acknowledge": version.status == VersionStatus.PUBLISHED
        and services.acknowledgement_refusal(membership, version) is None,
        "acknowledged": version.acknowledgements.filter(user_id=membership.user_id).first(),
        "requirements": list(document.requirements.select_related("framework")),
        "evidence": _linked_evidence(document) if reads_all else [],
        "conflicts": list(
            DraftConflict.objects.filter(version=working, resolved=False).select_related("author")
        )
        if working is not None and reads_all
        else [],
        "note_form": NoteForm(),
    }


def _linked_evidence(document: Document) -> list[Any]:
    from aimwell.evidence.querysets import evidence_linked_to

    return evidence_linked_to("documents.document", document.pk, document.organisation_id)


@login_required
def detail(request: AimwellRequest, pk: Any) -> HttpResponse:
    document, membership = _document(request, pk)
    version = document.published_version
    if version is None or (
        can(membership, Capability.READ_ALL) and request.GET.get("show") == "working"
    ):
        version = document.working_version or version
    if version is None:
        version = document.versions.order_by("-number").first()
    if version is None:
        raise Http404("This document has no version.")
    return render(
        request, "documents/detail.html", _detail_context(request, document, membership, version)
    )


def _version(request: AimwellRequest, document: Document, number: int) -> DocumentVersion:
    version = (
        DocumentVersion.objects.visible_to(request.user, request.organisation)
        .filter(document=document, number=number)
        .select_related("document", "approved_by", "published_by", "author")
        .first()
    )
    if version is None:
        raise Http404("No such version.")
    return version


@login_required
def version_page(request: AimwellRequest, pk: Any, number: int) -> HttpResponse:
    document, membership = _document(request, pk)
    version = _version(request, document, number)
    return render(
        request, "documents/detail.html", _detail_context(request, document, membership, version)
    )


@login_required
def version_pdf_view(request: AimwellRequest, pk: Any, number: int) -> HttpResponse:
    document, _ = _document(request, pk)
    version = _version(request, document, number)
    response = HttpResponse(version_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{document.reference}-v{version.number}.pdf"'
    )
    return response


@login_required
def edit_draft(request: AimwellRequest, pk: Any) -> HttpResponse:
    document, _ = _document(request, pk, write=True)
    version = document.working_version
    if version is None or version.status != VersionStatus.DRAFT:
        messages.error(request, "There is no draft to edit; start a new version first.")
        return redirect("documents:detail", pk=document.pk)
    form = DraftForm(
        request.POST or None,
        initial={
            "body": version.body,
            "lock_version": version.lock_version,
            "change_summary": version.change_summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.save_draft(
                version,
                body=data["body"],
                based_on=data["lock_version"],
                change_summary=data["change_summary"],
                actor=request.user,
            )
        except services.DocumentError as exc:
            messages.error(request, str(exc))
            return redirect("documents:detail", pk=document.pk)
        if result.conflict is not None:
            return _conflict_response(
                request, document, result.version, result.conflict, status=409
            )
        messages.success(request, f"Saved the draft of version {version.number}.")
        return redirect("documents:edit", pk=document.pk)
    return render(
        request,
        "documents/edit.html",
        {
            "document": document,
            "version": version,
            "form": form,
            "preview": render_markdown(version.body),
        },
    )


def _conflict_response(
    request: AimwellRequest,
    document: Document,
    version: DocumentVersion,
    conflict: DraftConflict,
    *,
    status: int = 200,
) -> HttpResponse:
    form = DraftForm(
        initial={
            "body": conflict.body,
            "lock_version": version.lock_version,
            "change_summary": version.change_summary,
        }
    )
    return render(
        request,
        "documents/conflict.html",
        {
            "document": document,
            "version": version,
            "conflict": conflict,
            "form": form,
            "current_html": render_markdown(version.body),
            "yours_html": render_markdown(conflict.body),
        },
        status=status,
    )


@login_required
def conflict_page(request: AimwellRequest, pk: Any) -> HttpResponse:
    conflict, membership = get_for_user(
        request.user,
        DraftConflict.objects.select_related("version__document", "author"),
        pk,
        organisation=request.organisation,
    )
    document = conflict.version.document
    if not (can_write(membership, document) or conflict.is_owned_by(request.user.pk)):
        raise PermissionDenied("Only the document's writers see its edit conflicts.")
    if request.method == "POST":
        services.resolve_conflict(conflict, actor=request.user)
        messages.success(request, "The conflict is marked as resolved; its text stays on record.")
        return redirect("documents:detail", pk=document.pk)
    return _conflict_response(request, document, conflict.version, conflict)


@login_required
@require_POST
def transition(request: AimwellRequest, pk: Any, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    if action == "approve":
        document, membership = _document(request, pk)
        require(membership, Capability.READ_ALL)
    else:
        document, membership = _document(request, pk, write=True)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    working = document.working_version
    try:
        message = _apply(action, document, working, membership, request.user, note)
    except services.ApprovalRefused as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    if action == "new-version":
        return redirect("documents:edit", pk=document.pk)
    return redirect("documents:detail", pk=document.pk)


def _apply(
    action: str,
    document: Document,
    working: DocumentVersion | None,
    membership: Any,
    user: Any,
    note: str,
) -> str:
    if action == "new-version":
        version = services.start_new_version(document, actor=user, change_summary=note)
        return f"Version {version.number} is a draft now."
    if action == "reviewed":
        services.mark_reviewed(document, actor=user, note=note)
        return f"Review recorded; the next review is due on {document.next_review_date}."
    if action == "retire":
        services.retire(document, actor=user, reason=note)
        return f"{document} is retired."
    if working is None:
        raise services.DocumentError("There is no version being worked on.")
    if action == "submit":
        services.submit_for_review(working, actor=user)
        return f"Version {working.number} is submitted for review."
    if action == "approve":
        services.approve(working, membership=membership, actor=user, note=note)
        return f"Version {working.number} is approved; it can be published."
    if action == "reject":
        services.reject(working, actor=user, note=note)
        return f"Version {working.number} is back in draft."
    services.publish(working, actor=user)
    return f"Version {working.number} is published."


@login_required
@require_POST
def acknowledge(request: AimwellRequest, pk: Any) -> HttpResponse:
    document, membership = _document(request, pk)
    require(membership, Capability.ACKNOWLEDGE)
    version = document.published_version
    if version is None:
        messages.error(request, "This document has no published version to acknowledge.")
        return redirect("documents:detail", pk=document.pk)
    try:
        services.acknowledge(version, membership=membership, actor=request.user)
    except services.DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You acknowledged {document} version {version.number}.")
    return redirect("documents:detail", pk=document.pk)


@login_required
def acknowledgements(request: AimwellRequest, pk: Any) -> HttpResponse:
    document, membership = _document(request, pk)
    require(membership, Capability.READ_ALL)
    version = document.published_version
    rows = acknowledgement_status(version) if version is not None else []
    done = sum(1 for r in rows if r.acknowledged_at)
    return render(
        request,
        "documents/acknowledgements.html",
        {"document": document, "version": version, "rows": rows, "done": done},
    )


@login_required
def settings_page(request: AimwellRequest, pk: Any) -> HttpResponse:
    document, membership = _document(request, pk, write=True)
    initial = {
        "title": document.title,
        "doc_type": document.doc_type,
        "classification": document.classification,
        "owner": str(document.owner_id or ""),
        "approver": document.approver,
        "review_interval_months": document.review_interval_months,
        "acknowledgement_roles": document.acknowledgement_roles,
        "requirements": " ".join(document.requirements.values_list("urn", flat=True)),
    }
    form = DocumentForm(
        request.POST or None, initial=initial, organisation=membership.organisation, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_document(
                document,
                actor=request.user,
                requirement_urns=data["requirements"],
                title=data["title"],
                doc_type=data["doc_type"],
                classification=data["classification"],
                owner=data["owner"],
                approver=data["approver"] or document.approver,
                review_interval_months=data["review_interval_months"],
                acknowledgement_roles=data["acknowledgement_roles"],
            )
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/form.html", {"form": form, "document": document})
