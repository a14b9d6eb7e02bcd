"""The only writers of documents, versions and acknowledgements; each write records an event."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import Capability, Role, can
from aimwell.catalog.models import RequirementNode
from aimwell.catalog.querysets import node_by_urn
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.core.errors import DomainError
from aimwell.documents import doc_templates
from aimwell.documents.models import (
    DEFAULT_APPROVER,
    Acknowledgement,
    Approver,
    Classification,
    Document,
    DocumentType,
    DocumentVersion,
    DraftConflict,
    VersionStatus,
)
from aimwell.documents.rendering import sha256_text

DOCUMENT_FIELDS = (
    "title",
    "doc_type",
    "classification",
    "owner",
    "approver",
    "review_interval_months",
    "next_review_date",
    "acknowledgement_roles",
)


class DocumentError(DomainError):
    """A request the document lifecycle does not allow; the message is for the user."""


class ApprovalRefused(DocumentError):
    """The member lacks the authority the document's type requires."""


@dataclass
class SaveResult:
    version: DocumentVersion
    conflict: DraftConflict | None = None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _requirements(organisation: Organisation, urns: Iterable[str]) -> list[RequirementNode]:
    nodes = []
    for urn in urns:
        node = node_by_urn(organisation, urn)
        if node is None:
            raise DocumentError(f"No requirement {urn!r} in the catalog.")
        nodes.append(node)
    return nodes


def _clean_roles(roles: Iterable[str]) -> list[str]:
    try:
        return sorted({Role(r).value for r in roles})
    except ValueError as exc:
        raise DocumentError(f"Unknown role in the acknowledgement group: {exc}") from exc


def _next_reference(organisation: Organisation, doc_type: str) -> str:
    prefix = {"policy": "POL", "procedure": "PRO", "plan": "PLN", "record": "REC"}.get(
        doc_type, "TPL"
    )
    taken = set(
        Document.objects.filter(
            organisation=organisation, reference__startswith=prefix + "-"
        ).values_list("reference", flat=True)
    )
    number = 1
    while f"{prefix}-{number:02d}" in taken:
        number += 1
    return f"{prefix}-{number:02d}"


@transaction.atomic
def create_document(
    organisation: Organisation,
    *,
    title: str,
    doc_type: str,
    actor: Any,
    reference: str | None = None,
    owner: Any | None = None,
    classification: str = Classification.INTERNAL,
    approver: str | None = None,
    requirement_urns: Iterable[str] = (),
    review_interval_months: int = 12,
    acknowledgement_roles: Iterable[str] = (),
    body: str = "",
    template_key: str = "",
) -> Document:
    """A new document with its first draft version."""
    doc_type = DocumentType(doc_type).value
    reference = (reference or "").strip() or _next_reference(organisation, doc_type)
    if Document.objects.filter(organisation=organisation, reference=reference).exists():
        raise DocumentError(f"The reference {reference} is already used by another document.")
    if not 1 <= review_interval_months <= 60:
        raise DocumentError("The review interval must be between 1 and 60 months.")
    nodes = _requirements(organisation, requirement_urns)
    document = Document.objects.create(
        organisation=organisation,
        reference=reference,
        title=title.strip(),
        doc_type=doc_type,
        classification=Classification(classification).value,
        owner=owner,
        approver=Approver(approver or DEFAULT_APPROVER[doc_type]).value,
        template_key=template_key,
        review_interval_months=review_interval_months,
        acknowledgement_roles=_clean_roles(acknowledgement_roles),
    )
    document.requirements.set(nodes)
    version = DocumentVersion.objects.create(
        organisation=organisation,
        document=document,
        number=1,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        change_summary="First version",
    )
    document.working_version = version
    document.save(update_fields=["working_version", "updated_at"])
    record_for(
        document,
        actor=actor,
        action="document.created",
        changes=diff(
            {},
            {
                **snapshot(document, DOCUMENT_FIELDS),
                "reference": reference,
                "requirements": sorted(n.urn for n in nodes),
                "template": template_key or None,
            },
        ),
    )
    return document


def create_from_template(
    organisation: Organisation, key: str, *, actor: Any, owner: Any | None = None
) -> Document:
    """A draft filled with the organisation's live data from one of our templates."""
    template = doc_templates.BY_KEY.get(key)
    if template is None:
        raise DocumentError(f"No document template {key!r}.")
    reference = template.reference
    if Document.objects.filter(organisation=organisation, reference=reference).exists():
        reference = ""
    if owner is None:
        owners = [
            m.user
            for m in Membership.objects.active()
            .filter(organisation=organisation)
            .select_related("user")
            .order_by("created_at")
            if template.process.value in m.owned_processes
        ]
        owner = owners[0] if owners else None
    return create_document(
        organisation,
        title=template.title,
        doc_type=template.doc_type,
        actor=actor,
        reference=reference,
        owner=owner,
        classification=template.classification,
        approver=template.approver,
        requirement_urns=template.requirement_urns(),
        review_interval_months=template.review_months,
        acknowledgement_roles=template.acknowledgement_roles,
        body=doc_templates.render_template(template, organisation),
        template_key=key,
    )


@transaction.atomic
def update_document(
    document: Document,
    *,
    actor: Any,
    requirement_urns: Iterable[str] | None = None,
    **changes: Any,
) -> Document:
    """Change a document's metadata (not its text, which lives in versions)."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not document fields: {sorted(unknown)}")
    if document.is_retired:
        raise DocumentError("A retired document cannot be changed.")
    if "acknowledgement_roles" in changes:
        changes["acknowledgement_roles"] = _clean_roles(changes["acknowledgement_roles"])
    if "doc_type" in changes:
        changes["doc_type"] = DocumentType(changes["doc_type"]).value
    if "approver" in changes:
        changes["approver"] = Approver(changes["approver"]).value
    if "classification" in changes:
        changes["classification"] = Classification(changes["classification"]).value
    months = changes.get("review_interval_months", document.review_interval_months)
    if not 1 <= months <= 60:
        raise DocumentError("The review interval must be between 1 and 60 months.")
    before = snapshot(document, DOCUMENT_FIELDS)
    before_urns = sorted(document.requirements.values_list("urn", flat=True))
    for name, value in changes.items():
        setattr(document, name, value)
    changed = diff(before, snapshot(document, DOCUMENT_FIELDS))
    if requirement_urns is not None:
        nodes = _requirements(document.organisation, requirement_urns)
        after_urns = sorted(n.urn for n in nodes)
        if after_urns != before_urns:
            document.requirements.set(nodes)
            changed["requirements"] = [before_urns, after_urns]
    if changed:
        document.save()
        record_for(document, actor=actor, action="document.updated", changes=changed)
    return document


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def save_draft(
    version: DocumentVersion,
    *,
    body: str,
    based_on: int,
    actor: Any,
    change_summary: str | None = None,
) -> SaveResult:
    """Save a draft's text if nobody saved it since `based_on`; otherwise keep the refused text
    as a conflict and leave the draft as the other person saved it."""
    if version.status != VersionStatus.DRAFT:
        raise DocumentError(
            f"Version {version.number} is {version.status_label.lower()}; "
            "only a draft can be edited."
        )
    with transaction.atomic():
        fields: dict[str, Any] = {
            "body": body,
            "lock_version": F("lock_version") + 1,
            "last_edited_by": _user(actor),
            "updated_at": timezone.now(),
        }
        if change_summary is not None:
            fields["change_summary"] = change_summary[:300]
        before_body = version.body
        row = (
            DocumentVersion.objects.filter(pk=version.pk)
            .values_list("body", "lock_version")
            .first()
        )
        if row is not None and row[1] != based_on and row[0] == body:
            version.refresh_from_db()
            return SaveResult(version)  # the same text: nothing would be lost, nothing to save
        saved = DocumentVersion.objects.filter(
            pk=version.pk, lock_version=based_on, status=VersionStatus.DRAFT
        ).update(**fields)
        version.refresh_from_db()
        if saved:
            record_for(
                version,
                actor=actor,
                action="document.draft_saved",
                changes={
                    "lock_version": [based_on, version.lock_version],
                    "body_sha256": [sha256_text(before_body), sha256_text(body)],
                },
            )
            return SaveResult(version)
        conflict = DraftConflict.objects.create(
            organisation_id=version.organisation_id,
            version=version,
            author=_user(actor),
            based_on_lock_version=based_on,
            current_lock_version=version.lock_version,
            body=body,
        )
        record_for(
            version,
            actor=actor,
            action="document.edit_conflict",
            changes={
                "lock_version": [based_on, version.lock_version],
                "conflict": [None, str(conflict.pk)],
            },
        )
        return SaveResult(version, conflict)


@transaction.atomic
def resolve_conflict(conflict: DraftConflict, *, actor: Any) -> DraftConflict:
    if not conflict.resolved:
        conflict.resolved = True
        conflict.save(update_fields=["resolved", "updated_at"])
        record_for(
            conflict.version,
            actor=actor,
            action="document.conflict_resolved",
            changes={"conflict": [str(conflict.pk), None]},
        )
    return conflict


def _transition(
    version: DocumentVersion, *, actor: Any, action: str, to: str, **fields: Any
) -> DocumentVersion:
    before = snapshot(version, ["status", *fields])
    version.status = to
    for name, value in fields.items():
        setattr(version, name, value)
    version.save()
    record_for(
        version,
        actor=actor,
        action=action,
        changes=diff(before, snapshot(version, ["status", *fields])),
    )
    return version


def _require_status(version: DocumentVersion, *statuses: str) -> None:
    if version.status not in statuses:
        wanted = " or ".join(VersionStatus(s).label.lower() for s in statuses)
        raise DocumentError(
            f"Version {version.number} is {version.status_label.lower()}; it must be {wanted}."
        )


@transaction.atomic
def submit_for_review(version: DocumentVersion, *, actor: Any) -> DocumentVersion:
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.IN_REVIEW:
        return version  # already submitted: nothing to do
    _require_status(version, VersionStatus.DRAFT)
    if not version.body.strip():
        raise DocumentError("An empty draft cannot be submitted for review.")
    return _transition(
        version,
        actor=actor,
        action="document.submitted",
        to=VersionStatus.IN_REVIEW,
        submitted_by=_user(actor),
        submitted_at=timezone.now(),
    )


def approval_refusal(membership: Membership | None, version: DocumentVersion) -> str | None:
    """Why this member may not approve this version, or None when they may."""
    document = version.document
    if membership is None or membership.role == Role.EXTERNAL_AUDITOR:
        return "Only members of the organisation may approve documents."
    rule = Approver(document.approver)
    if rule == Approver.TOP_MANAGEMENT and not (
        membership.is_top_management and can(membership, Capability.CONTRIBUTE)
    ):
        return f"{document.title} must be approved by top management."
    if rule == Approver.AIMS_MANAGER and not can(membership, Capability.MANAGE_AIMS):
        return f"{document.title} must be approved by an AIMS manager."
    if rule == Approver.OWNER_OR_MANAGER and not (
        can(membership, Capability.MANAGE_AIMS)
        or (can(membership, Capability.CONTRIBUTE) and document.is_owned_by(membership.user_id))
    ):
        return f"{document.title} must be approved by its owner or an AIMS manager."
    if version.submitted_by_id is not None and version.submitted_by_id == membership.user_id:
        return "The person who submitted a version for review cannot also approve it."
    return None


@transaction.atomic
def approve(
    version: DocumentVersion, *, membership: Membership | None, actor: Any, note: str = ""
) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    )
    refusal = approval_refusal(membership, version)
    if refusal:
        raise ApprovalRefused(refusal)
    if version.status == VersionStatus.APPROVED:
        return version  # already approved: nothing to do
    _require_status(version, VersionStatus.IN_REVIEW)
    return _transition(
        version,
        actor=actor,
        action="document.approved",
        to=VersionStatus.APPROVED,
        approved_by=_user(actor),
        approved_at=timezone.now(),
        approval_note=note[:500],
    )


@transaction.atomic
def reject(version: DocumentVersion, *, actor: Any, note: str = "") -> DocumentVersion:
    """Send a version in review (or approved but not yet published) back to draft."""
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.DRAFT:
        return version  # already a draft: nothing to do
    _require_status(version, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)
    return _transition(
        version,
        actor=actor,
        action="document.returned_to_draft",
        to=VersionStatus.DRAFT,
        approval_note=note[:500],
        approved_by=None,
        approved_at=None,
        submitted_by=None,
        submitted_at=None,
    )


@transaction.atomic
def publish(version: DocumentVersion, *, actor: Any) -> DocumentVersion:
    """Publish an approved version; the previous one stays readable as superseded. Each version
    is acknowledged on its own, so publishing asks everyone in the group to read it again."""
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED:
        return version  # already published: nothing to do
    _require_status(version, VersionStatus.APPROVED)
    document = Document.objects.select_for_update().get(pk=version.document_id)
    previous = document.published_version
    if previous is not None:
        _transition(
            previous, actor=actor, action="document.superseded", to=VersionStatus.SUPERSEDED
        )
    _transition(
        version,
        actor=actor,
        action="document.published",
        to=VersionStatus.PUBLISHED,
        published_by=_user(actor),
        published_at=timezone.now(),
        body_sha256=sha256_text(version.body),
    )
    before = snapshot(document, ["next_review_date"])
    document.published_version = version
    document.working_version = None
    document.next_review_date = add_months(timezone.localdate(), document.review_interval_months)
    document.save()
    record_for(
        document,
        actor=actor,
        action="document.version_published",
        changes={
            "published_version": [previous.number if previous else None, version.number],
            **diff(before, snapshot(document, ["next_review_date"])),
        },
    )
    _record_approval_evidence(document, version, actor)
    return version


def _record_approval_evidence(document: Document, version: DocumentVersion, actor: Any) -> None:
    """The approval and publication become evidence by themselves (a product record)."""
    from aimwell.evidence import services as evidence

    evidence.record_product_evidence(
        document.organisation,
        source="documents.publication",
        title=(
            f"Approval and publication of {document.reference} {document.title} v{version.number}"
        ),
        payload={
            "document": document.reference,
            "title": document.title,
            "version": version.number,
            "body_sha256": version.body_sha256,
            "submitted_by": str(version.submitted_by or ""),
            "approved_by": str(version.approved_by or ""),
            "approved_at": version.approved_at,
            "approval_rule": document.approver,
            "published_by": str(version.published_by or ""),
            "published_at": version.published_at,
        },
        requirement_ids=list(document.requirements.values_list("pk", flat=True)),
        links=[("documents.document", document.pk)],
        valid_days=document.review_interval_months * 31,
        actor=actor,
    )


@transaction.atomic
def start_new_version(
    document: Document, *, actor: Any, change_summary: str = ""
) -> DocumentVersion:
    """A new draft copying the published text; one working version at a time, so when one is
    already being worked on, that one is returned."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_retired:
        raise DocumentError("A retired document cannot get new versions.")
    if document.working_version is not None:
        return document.working_version  # one working version at a time: that one
    last = document.versions.order_by("-number").first()
    base = document.published_version or last
    version = DocumentVersion.objects.create(
        organisation_id=document.organisation_id,
        document=document,
        number=(last.number + 1) if last else 1,
        body=base.body if base else "",
        author=_user(actor),
        change_summary=change_summary[:300],
    )
    document.working_version = version
    document.save(update_fields=["working_version", "updated_at"])
    record_for(
        version,
        actor=actor,
        action="document.version_started",
        changes={"number": [None, version.number]},
    )
    return version


@transaction.atomic
def version_from_record(
    document: Document, *, body: str, membership: Membership, actor: Any, change_summary: str
) -> DocumentVersion:
    """A new version of `document` holding the text of a record approved elsewhere in Aimwell
    (the AIMS scope statement): started (or the working draft replaced), submitted, and, when the
    document's approval rule lets the member who approved the record approve it, approved by
    them and published. Otherwise it waits in review for an approver (in their inbox)."""
    version = start_new_version(document, actor=actor, change_summary=change_summary)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.DRAFT:
        before = version.body
        version.body = body
        version.change_summary = change_summary[:300]
        version.last_edited_by = _user(actor)
        version.save(update_fields=["body", "change_summary", "last_edited_by", "updated_at"])
        record_for(
            version,
            actor=actor,
            action="document.draft_saved",
            changes={"body_sha256": [sha256_text(before), sha256_text(body)]},
        )
        # Submitted by nobody in person: the record's approval is the request for approval.
        version = _transition(
            version,
            actor=actor,
            action="document.submitted",
            to=VersionStatus.IN_REVIEW,
            submitted_by=None,
            submitted_at=timezone.now(),
        )
    if version.status == VersionStatus.IN_REVIEW and approval_refusal(membership, version) is None:
        version = approve(version, membership=membership, actor=actor, note=change_summary)
    if version.status == VersionStatus.APPROVED:
        version = publish(version, actor=actor)
    return version


@transaction.atomic
def mark_reviewed(document: Document, *, actor: Any, note: str = "") -> Document:
    """A periodic review that found no change needed: the next review moves forward."""
    if document.published_version_id is None or document.is_retired:
        raise DocumentError("Only a published document can be marked as reviewed.")
    before = snapshot(document, ["next_review_date"])
    document.next_review_date = add_months(timezone.localdate(), document.review_interval_months)
    document.save(update_fields=["next_review_date", "updated_at"])
    changes: dict[str, Any] = diff(before, snapshot(document, ["next_review_date"]))
    if note:
        changes["note"] = [None, note[:500]]
    record_for(document, actor=actor, action="document.reviewed", changes=changes)
    return document


@transaction.atomic
def retire(document: Document, *, actor: Any, reason: str = "") -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_retired:
        return document
    if document.published_version is not None:
        _transition(
            document.published_version,
            actor=actor,
            action="document.version_retired",
            to=VersionStatus.RETIRED,
        )
    document.is_retired = True
    document.save(update_fields=["is_retired", "updated_at"])
    record_for(
        document,
        actor=actor,
        action="document.retired",
        changes={
            "is_retired": [False, True],
            **({"reason": [None, reason[:500]]} if reason else {}),
        },
    )
    return document


def acknowledgement_refusal(membership: Membership | None, version: DocumentVersion) -> str | None:
    if membership is None or not can(membership, Capability.ACKNOWLEDGE):
        return "Your role does not acknowledge documents."
    if version.status != VersionStatus.PUBLISHED:
        return "Only the current published version can be acknowledged."
    return None


@transaction.atomic
def acknowledge(
    version: DocumentVersion, *, membership: Membership | None, actor: Any
) -> Acknowledgement:
    """The member has read and accepts this published version (idempotent)."""
    refusal = acknowledgement_refusal(membership, version)
    if refusal:
        raise DocumentError(refusal)
    assert membership is not None
    existing = Acknowledgement.objects.filter(version=version, user_id=membership.user_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                organisation_id=version.organisation_id, version=version, user_id=membership.user_id
            )
    except IntegrityError:
        return Acknowledgement.objects.get(version=version, user_id=membership.user_id)
    record_for(
        version,
        actor=actor,
        action="document.acknowledged",
        changes={"acknowledged_by": [None, membership.user.email]},
    )
    return ack
