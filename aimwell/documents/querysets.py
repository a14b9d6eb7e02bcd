"""Read-side queries of documents: lists, the mandatory-documents checklist, acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.catalog.models import RequirementNode
from aimwell.documents import doc_templates
from aimwell.documents.models import Acknowledgement, Document, DocumentVersion, VersionStatus
from aimwell.documents.records import HeldRecords, held_records

CHECKLIST_FRAMEWORK = "iso42001:2023"


def documents_for(user: Any, organisation: Any) -> QuerySet[Document]:
    return (
        Document.objects.visible_to(user, organisation)
        .with_related()
        .prefetch_related(
            Prefetch("requirements", queryset=RequirementNode.objects.only("id", "urn", "ref_id"))
        )
        .order_by("reference")
    )


def filter_documents(
    qs: QuerySet[Document], *, status: str = "", doc_type: str = "", q: str = ""
) -> list[Document]:
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(reference__icontains=q)
    docs = list(qs)
    if status == "overdue":
        docs = [d for d in docs if d.review_overdue]
    elif status:
        docs = [d for d in docs if d.status == status]
    return docs


@dataclass
class ChecklistRow:
    node: RequirementNode
    state: str  # missing, draft, in_review, approved, published, review_overdue, held
    documents: list[Document]
    template: doc_templates.DocTemplate | None
    records: HeldRecords | None = None  # the register that holds it as records, if any

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return {
            "published": "ok",
            "held": "ok",
            "approved": "ok",
            "review_overdue": "bad",
            "missing": "bad",
        }.get(self.state, "warn")


STATE_LABELS = {
    "missing": "Missing",
    "draft": "Draft",
    "in_review": "In review",
    "approved": "Approved, not yet published",
    "published": "Published",
    "review_overdue": "Review overdue",
    "held": "Held as records in Aimwell",
}
SATISFIED = ("published", "held")
_RANK = {"review_overdue": 1, "draft": 2, "in_review": 3, "approved": 4, "published": 5}


def _document_state(document: Document) -> str:
    if document.review_overdue:
        return "review_overdue"
    if document.published_version_id is not None:
        return "published"
    working = document.working_version
    return working.status if working is not None else VersionStatus.DRAFT


def checklist(organisation: Any) -> list[ChecklistRow]:
    """Each piece of documented information ISO/IEC 42001 requires (catalog nodes flagged
    `documented_information`), with the best state among the documents that satisfy it."""
    nodes = list(
        RequirementNode.objects.filter(
            framework__urn=CHECKLIST_FRAMEWORK,
            framework__organisation__isnull=True,
            documented_information=True,
            is_retired=False,
        ).order_by("position")
    )
    documents = (
        Document.objects.filter(organisation_id=organisation.pk, is_retired=False)
        .select_related("working_version", "published_version")
        .prefetch_related(Prefetch("requirements", queryset=RequirementNode.objects.only("id")))
    )
    by_node: dict[Any, list[Document]] = {}
    for document in documents:
        for node in document.requirements.all():
            by_node.setdefault(node.pk, []).append(document)
    held = held_records(organisation)
    rows = []
    for node in nodes:
        docs = by_node.get(node.pk, [])
        state = (
            max((_document_state(d) for d in docs), key=lambda s: _RANK.get(s, 0))
            if docs
            else "missing"
        )
        records = held.get(node.ref_id)
        if records is not None and state != "published":
            state = "held"
        rows.append(
            ChecklistRow(
                node, state, docs, doc_templates.template_for_requirement(node.urn), records
            )
        )
    return rows


def checklist_summary(organisation: Any) -> dict[str, Any]:
    """Counts per state and the share of requirements with a current published document or held
    as records in their register: an input for the readiness score."""
    rows = checklist(organisation)
    counts = dict.fromkeys(STATE_LABELS, 0)
    for row in rows:
        counts[row.state] += 1
    total = len(rows)
    return {
        "total": total,
        "counts": counts,
        "satisfied": counts["published"] + counts["held"],
        "score": round((counts["published"] + counts["held"]) / total, 4) if total else 0.0,
    }


def pending_acknowledgements(membership: Membership | None) -> list[DocumentVersion]:
    """Published versions this member's role must acknowledge and has not yet."""
    if membership is None:
        return []
    versions = (
        DocumentVersion.objects.filter(
            organisation_id=membership.organisation_id,
            status=VersionStatus.PUBLISHED,
            document__is_retired=False,
        )
        .select_related("document")
        .exclude(acknowledgements__user_id=membership.user_id)
        .order_by("document__reference")
    )
    return [v for v in versions if membership.role in v.document.acknowledgement_roles]


@dataclass
class AckRow:
    membership: Membership
    acknowledged_at: Any


def acknowledgement_status(version: DocumentVersion) -> list[AckRow]:
    """Everyone in the document's group and when (if) they acknowledged this version."""
    roles = version.document.acknowledgement_roles
    members = (
        Membership.objects.active()
        .filter(organisation_id=version.organisation_id, role__in=roles)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    acks = dict(
        Acknowledgement.objects.filter(version=version).values_list("user_id", "acknowledged_at")
    )
    return [AckRow(m, acks.get(m.user_id)) for m in members]


def documents_summary(organisation: Any) -> dict[str, int]:
    docs = list(
        Document.objects.filter(organisation_id=organisation.pk, is_retired=False).select_related(
            "working_version"
        )
    )
    today = timezone.localdate()
    return {
        "documents": len(docs),
        "published": sum(1 for d in docs if d.published_version_id),
        "review_overdue": sum(
            1
            for d in docs
            if d.published_version_id and d.next_review_date and d.next_review_date < today
        ),
        "in_review": sum(
            1 for d in docs if d.working_version and d.working_version.status == "in_review"
        ),
    }
