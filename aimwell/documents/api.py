"""REST endpoints of controlled documents: register, templates, checklist, drafts with optimistic
locking (409 with both texts), lifecycle actions, acknowledgements and PDFs."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts.access import get_for_user, require
from aimwell.accounts.lookups import member_user
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability, can
from aimwell.documents import doc_templates, services
from aimwell.documents.models import Document, DocumentVersion
from aimwell.documents.querysets import (
    acknowledgement_status,
    checklist,
    checklist_summary,
    documents_for,
    filter_documents,
)
from aimwell.documents.rendering import version_pdf
from aimwell.documents.schemas import (
    AcknowledgementOut,
    ChecklistOut,
    ConflictOut,
    DocumentIn,
    DocumentOut,
    DocumentPatch,
    DraftIn,
    FromTemplateIn,
    NoteIn,
    TemplateOut,
    VersionOut,
)

router = Router(tags=["documents"])


def _membership(request: AimwellRequest, capability: Capability = Capability.READ_PUBLISHED) -> Any:
    return require(request.membership, capability)


def _document(request: AimwellRequest, pk: Any, *, write: bool = False) -> tuple[Document, Any]:
    return get_for_user(
        request.user,
        Document.objects.with_related().prefetch_related("requirements"),
        pk,
        organisation=request.organisation,
        write=write,
        capability=Capability.READ_PUBLISHED,
    )


def _working(document: Document) -> DocumentVersion:
    if document.working_version is None:
        raise HttpError(400, "There is no version being worked on; start a new version first.")
    return document.working_version


def _reload(document: Document) -> Document:
    return Document.objects.with_related().prefetch_related("requirements").get(pk=document.pk)


@router.get("/documents", response=list[DocumentOut], summary="Documents (staff: published only)")
def list_documents(
    request: AimwellRequest, status: str = "", doc_type: str = "", q: str = ""
) -> list[Document]:
    membership = _membership(request)
    return filter_documents(
        documents_for(request.user, membership.organisation),
        status=status,
        doc_type=doc_type,
        q=q[:100],
    )


@router.post("/documents", response={201: DocumentOut}, summary="Create a document (draft v1)")
def create_document(request: AimwellRequest, payload: DocumentIn) -> Status[Document]:
    membership = _membership(request, Capability.CONTRIBUTE)
    owner: Any = member_user(membership.organisation_id, payload.owner_email)
    if not can(membership, Capability.MANAGE_AIMS):
        owner = request.user
    try:
        document = services.create_document(
            membership.organisation,
            title=payload.title,
            doc_type=payload.doc_type,
            reference=payload.reference,
            owner=owner,
            classification=payload.classification,
            approver=payload.approver,
            requirement_urns=payload.requirements,
            review_interval_months=payload.review_interval_months,
            acknowledgement_roles=payload.acknowledgement_roles,
            body=payload.body,
            actor=request.user,
        )
    except (services.DocumentError, ValueError) as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _reload(document))


@router.get("/documents/templates", response=list[TemplateOut], summary="Document templates")
def list_templates(request: AimwellRequest) -> list[dict[str, Any]]:
    _membership(request, Capability.READ_ALL)
    return [
        {
            "key": t.key,
            "reference": t.reference,
            "title": t.title,
            "doc_type": t.doc_type,
            "requirements": t.requirement_urns(),
            "approver": t.approver,
            "review_months": t.review_months,
        }
        for t in doc_templates.TEMPLATES
    ]


@router.post(
    "/documents/from-template",
    response={201: DocumentOut},
    summary="Create a draft from a template, filled with live data",
)
def create_from_template(request: AimwellRequest, payload: FromTemplateIn) -> Status[Document]:
    membership = _membership(request, Capability.CONTRIBUTE)
    owner: Any = member_user(membership.organisation_id, payload.owner_email)
    if not can(membership, Capability.MANAGE_AIMS):
        owner = request.user
    try:
        document = services.create_from_template(
            membership.organisation, payload.template, actor=request.user, owner=owner
        )
    except services.DocumentError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _reload(document))


@router.get("/documents/checklist", response=ChecklistOut, summary="Mandatory-documents checklist")
def get_checklist(request: AimwellRequest) -> dict[str, Any]:
    membership = _membership(request, Capability.READ_ALL)
    summary = checklist_summary(membership.organisation)
    rows = [
        {
            "urn": row.node.urn,
            "clause": row.node.ref_id,
            "title": row.node.title,
            "state": row.state,
            "documents": [d.reference for d in row.documents],
            "template": row.template.key if row.template else None,
            "records": row.records.label if row.records else None,
        }
        for row in checklist(membership.organisation)
    ]
    return {**summary, "rows": rows}


@router.get("/documents/{document_id}", response=DocumentOut, summary="A document")
def get_document(request: AimwellRequest, document_id: str) -> Document:
    document, _ = _document(request, document_id)
    return document


@router.patch(
    "/documents/{document_id}", response=DocumentOut, summary="Change a document's metadata"
)
def update_document(request: AimwellRequest, document_id: str, payload: DocumentPatch) -> Document:
    document, membership = _document(request, document_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    urns = changes.pop("requirements", None)
    if "owner_email" in changes:
        changes["owner"] = member_user(membership.organisation_id, changes.pop("owner_email"))
    try:
        services.update_document(document, actor=request.user, requirement_urns=urns, **changes)
    except (services.DocumentError, ValueError) as exc:
        raise HttpError(400, str(exc)) from exc
    return _reload(document)


@router.get(
    "/documents/{document_id}/versions", response=list[VersionOut], summary="Versions you may read"
)
def list_versions(request: AimwellRequest, document_id: str) -> list[DocumentVersion]:
    document, _ = _document(request, document_id)
    return list(
        DocumentVersion.objects.visible_to(request.user, request.organisation)
        .filter(document=document)
        .select_related("approved_by", "published_by", "submitted_by")
        .order_by("-number")
    )


def _version(request: AimwellRequest, document: Document, number: int) -> DocumentVersion:
    version = (
        DocumentVersion.objects.visible_to(request.user, request.organisation)
        .filter(document=document, number=number)
        .select_related("document", "approved_by", "published_by", "submitted_by")
        .first()
    )
    if version is None:
        raise HttpError(404, "No such version.")
    return version


@router.get(
    "/documents/{document_id}/versions/{number}", response=VersionOut, summary="One version"
)
def get_version(request: AimwellRequest, document_id: str, number: int) -> DocumentVersion:
    document, _ = _document(request, document_id)
    return _version(request, document, number)


@router.get(
    "/documents/{document_id}/versions/{number}/pdf",
    response={200: None},
    summary="One version as PDF",
)
def get_version_pdf(request: AimwellRequest, document_id: str, number: int) -> HttpResponse:
    document, _ = _document(request, document_id)
    version = _version(request, document, number)
    response = HttpResponse(version_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.reference}-v{number}.pdf"'
    return response


@router.put(
    "/documents/{document_id}/draft",
    response={200: VersionOut, 409: ConflictOut},
    summary="Save the draft; 409 with both texts when someone saved it first",
)
def save_draft(request: AimwellRequest, document_id: str, payload: DraftIn) -> Any:
    document, _ = _document(request, document_id, write=True)
    try:
        result = services.save_draft(
            _working(document),
            body=payload.body,
            based_on=payload.lock_version,
            change_summary=payload.change_summary,
            actor=request.user,
        )
    except services.DocumentError as exc:
        raise HttpError(400, str(exc)) from exc
    if result.conflict is not None:
        return Status(
            409,
            {
                "message": "Someone else saved this draft first; your text was kept, not saved.",
                "conflict_id": result.conflict.pk,
                "current_lock_version": result.version.lock_version,
                "current_body": result.version.body,
                "your_body": result.conflict.body,
            },
        )
    return result.version


def _act(request: AimwellRequest, document_id: str, action: str, note: str = "") -> Document:
    if action == "approve":
        document, membership = _document(request, document_id)
        require(membership, Capability.READ_ALL)
    else:
        document, membership = _document(request, document_id, write=True)
    try:
        if action == "new-version":
            services.start_new_version(document, actor=request.user, change_summary=note)
        elif action == "reviewed":
            services.mark_reviewed(document, actor=request.user, note=note)
        elif action == "retire":
            services.retire(document, actor=request.user, reason=note)
        elif action == "submit":
            services.submit_for_review(_working(document), actor=request.user)
        elif action == "approve":
            services.approve(
                _working(document), membership=membership, actor=request.user, note=note
            )
        else:
            services.reject(_working(document), actor=request.user, note=note)
    except services.ApprovalRefused as exc:
        raise HttpError(403, str(exc)) from exc
    except services.DocumentError as exc:
        raise HttpError(400, str(exc)) from exc
    return _reload(document)


@router.post(
    "/documents/{document_id}/submit", response=DocumentOut, summary="Submit the draft for review"
)
def submit(request: AimwellRequest, document_id: str) -> Document:
    return _act(request, document_id, "submit")


@router.post(
    "/documents/{document_id}/approve",
    response=DocumentOut,
    summary="Approve the version in review (by the authority the document requires)",
)
def approve(request: AimwellRequest, document_id: str, payload: NoteIn) -> Document:
    return _act(request, document_id, "approve", payload.note)


@router.post(
    "/documents/{document_id}/return-to-draft",
    response=DocumentOut,
    summary="Return the version in review to draft",
)
def return_to_draft(request: AimwellRequest, document_id: str, payload: NoteIn) -> Document:
    return _act(request, document_id, "reject", payload.note)


@router.post(
    "/documents/{document_id}/versions/{number}/publish",
    response=DocumentOut,
    summary="Publish an approved version (the previous one becomes superseded)",
)
def publish(request: AimwellRequest, document_id: str, number: int) -> Document:
    document, _ = _document(request, document_id, write=True)
    version = DocumentVersion.objects.filter(document=document, number=number).first()
    if version is None:
        raise HttpError(404, "No such version.")
    try:
        services.publish(version, actor=request.user)
    except services.DocumentError as exc:
        raise HttpError(400, str(exc)) from exc
    return _reload(document)


@router.post(
    "/documents/{document_id}/new-version",
    response=DocumentOut,
    summary="Start a new draft version",
)
def new_version(request: AimwellRequest, document_id: str, payload: NoteIn) -> Document:
    return _act(request, document_id, "new-version", payload.note)


@router.post(
    "/documents/{document_id}/reviewed",
    response=DocumentOut,
    summary="Record a periodic review with no change",
)
def reviewed(request: AimwellRequest, document_id: str, payload: NoteIn) -> Document:
    return _act(request, document_id, "reviewed", payload.note)


@router.post("/documents/{document_id}/retire", response=DocumentOut, summary="Retire the document")
def retire(request: AimwellRequest, document_id: str, payload: NoteIn) -> Document:
    return _act(request, document_id, "retire", payload.note)


@router.post(
    "/documents/{document_id}/acknowledge",
    response=AcknowledgementOut,
    summary="Acknowledge the current published version",
)
def acknowledge(request: AimwellRequest, document_id: str) -> dict[str, Any]:
    document, membership = _document(request, document_id)
    require(membership, Capability.ACKNOWLEDGE)
    if document.published_version is None:
        raise HttpError(400, "This document has no published version to acknowledge.")
    try:
        ack = services.acknowledge(
            document.published_version, membership=membership, actor=request.user
        )
    except services.DocumentError as exc:
        raise HttpError(400, str(exc)) from exc
    return {
        "email": membership.user.email,
        "full_name": membership.user.full_name,
        "role": membership.role,
        "acknowledged_at": ack.acknowledged_at,
    }


@router.get(
    "/documents/{document_id}/acknowledgements",
    response=list[AcknowledgementOut],
    summary="Who in the group has acknowledged the current version",
)
def list_acknowledgements(request: AimwellRequest, document_id: str) -> list[dict[str, Any]]:
    document, membership = _document(request, document_id)
    require(membership, Capability.READ_ALL)
    if document.published_version is None:
        return []
    return [
        {
            "email": row.membership.user.email,
            "full_name": row.membership.user.full_name,
            "role": row.membership.role,
            "acknowledged_at": row.acknowledged_at,
        }
        for row in acknowledgement_status(document.published_version)
    ]
