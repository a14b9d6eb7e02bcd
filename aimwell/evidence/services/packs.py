"""Building an evidence pack for the whole AIMS, one framework or one AI system: the files, the
published documents as PDF, an index (HTML and CSV), the audit-trail chain head, and the signed
manifest (see `packfmt`). The pack's own SHA-256 is recorded in the audit trail."""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from aimwell.accounts.models import Organisation
from aimwell.catalog.models import RequirementNode
from aimwell.catalog.querysets import framework_by_urn
from aimwell.core import tabular
from aimwell.core.audit import record_for
from aimwell.core.models import AuditChainHead
from aimwell.evidence import links as link_registry
from aimwell.evidence import packfmt
from aimwell.evidence.models import EvidenceItem, EvidenceKind, EvidencePack, PackScope
from aimwell.evidence.services import EvidenceError


@dataclass
class IndexRow:
    requirement_urn: str
    requirement_title: str
    item_type: str  # evidence or document
    title: str
    kind: str
    location: str  # path in the pack, or a URL
    effective_date: str
    valid_until: str
    status: str
    sha256: str


CSV_HEADER = [
    "requirement_urn",
    "requirement_title",
    "item_type",
    "title",
    "kind",
    "location",
    "effective_date",
    "valid_until",
    "status",
    "sha256",
]


def _scope(organisation: Organisation, scope: str, value: str) -> tuple[str, str]:
    scope = PackScope(scope).value
    if scope == PackScope.AIMS:
        return scope, f"Whole AIMS of {organisation.name}"
    if scope == PackScope.FRAMEWORK:
        framework = framework_by_urn(organisation, value)
        if framework is None:
            raise EvidenceError(f"No framework {value!r}.")
        return scope, f"Framework {framework.name} ({framework.urn})"
    try:
        _, system = link_registry.resolve("inventory.aisystem", value, organisation)
    except link_registry.LinkError as exc:
        raise EvidenceError(str(exc)) from exc
    return scope, f"AI system {getattr(system, 'name', system)}"


def _evidence(organisation: Organisation, scope: str, value: str) -> QuerySet[EvidenceItem]:
    qs = EvidenceItem.objects.filter(organisation=organisation, is_retired=False)
    if scope == PackScope.FRAMEWORK:
        qs = qs.filter(requirements__framework__urn=value)
    elif scope == PackScope.SYSTEM:
        qs = qs.filter(links__target_type="inventory.aisystem", links__target_id=value)
    nodes = RequirementNode.objects.select_related("framework").order_by("position")
    if scope == PackScope.FRAMEWORK:
        nodes = nodes.filter(framework__urn=value)
    return (
        qs.distinct()
        .prefetch_related(Prefetch("requirements", queryset=nodes))
        .order_by("effective_date", "title")
    )


def _documents(organisation: Organisation, scope: str, value: str) -> list[Any]:
    from aimwell.documents.models import Document

    qs = Document.objects.filter(
        organisation=organisation, is_retired=False, published_version__isnull=False
    )
    if scope == PackScope.FRAMEWORK:
        qs = qs.filter(requirements__framework__urn=value)
    nodes = RequirementNode.objects.select_related("framework").order_by("position")
    if scope == PackScope.FRAMEWORK:
        nodes = nodes.filter(framework__urn=value)
    return list(
        qs.distinct()
        .select_related("published_version", "owner")
        .prefetch_related(Prefetch("requirements", queryset=nodes))
        .order_by("reference")
    )


def _read(item: EvidenceItem) -> bytes:
    with item.file.storage.open(item.file.name, "rb") as handle:
        return handle.read()


def _rows_for(requirements: list[RequirementNode], base: dict[str, str]) -> list[IndexRow]:
    targets: list[RequirementNode | None] = list(requirements) or [None]
    return [
        IndexRow(
            requirement_urn=n.urn if n else "",
            requirement_title=n.title if n else "(not linked to a requirement)",
            **base,
        )
        for n in targets
    ]


def build_pack(
    organisation: Organisation, *, scope: str, value: str = "", actor: Any
) -> EvidencePack:
    """Export a pack, store it, and record its SHA-256 in the audit trail."""
    scope, label = _scope(organisation, scope, value)
    pack_id = uuid.uuid4()
    now = timezone.now()
    head = AuditChainHead.objects.filter(organisation_id=organisation.pk).first()
    head_seq = head.seq if head else 0
    head_data: dict[str, Any] = {"seq": head_seq, "mac": head.mac if head else "", "at": now}
    try:
        key = packfmt.organisation_key(str(organisation.pk))
    except packfmt.PackKeyError as exc:
        raise EvidenceError(str(exc)) from exc
    rows: list[IndexRow] = []
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        writer = packfmt.PackWriter(spool, str(pack_id))
        evidence_count, stale = _add_evidence(writer, rows, organisation, scope, value)
        document_count = _add_documents(writer, rows, organisation, scope, value)
        rows.sort(key=lambda r: (r.requirement_urn or "~", r.item_type, r.title))
        context = {
            "organisation": organisation,
            "label": label,
            "rows": rows,
            "created_at": now,
            "created_by": getattr(actor, "email", str(actor)),
            "head": head_data,
            "public_key": packfmt.public_key_text(key),
            "evidence_count": evidence_count,
            "document_count": document_count,
            "stale": stale,
        }
        writer.add("index.html", render_to_string("evidence/pack_index.html", context).encode())
        writer.add("index.csv", _csv(rows))
        writer.add("audit-chain-head.json", packfmt.canonical({**head_data, "at": now.isoformat()}))
        writer.finish(
            key,
            {
                "organisation": {"id": str(organisation.pk), "name": organisation.name},
                "scope": {"kind": scope, "value": value, "label": label},
                "created_at": now.isoformat(),
                "created_by": context["created_by"],
                "audit_chain_head": {"seq": head_data["seq"], "mac": head_data["mac"]},
            },
        )
        spool.seek(0)
        digest, size = _hash(spool)
        spool.seek(0)
        with transaction.atomic():
            pack = EvidencePack(
                id=pack_id,
                organisation=organisation,
                scope=scope,
                scope_value=value,
                scope_label=label[:300],
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                sha256=digest,
                size=size,
                evidence_count=evidence_count,
                document_count=document_count,
                stale_count=stale,
                public_key=packfmt.public_key_text(key),
                audit_head_seq=head_seq,
            )
            pack.file.save(f"{organisation.pk}/{pack_id}.zip", File(spool), save=False)
            pack.save()
            record_for(
                pack,
                actor=actor,
                action="evidence_pack.exported",
                changes={
                    "sha256": [None, digest],
                    "scope": [None, label],
                    "files": [None, evidence_count + document_count],
                },
            )
    return pack


def _hash(stream: Any) -> tuple[str, int]:
    import hashlib

    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add_evidence(
    writer: packfmt.PackWriter,
    rows: list[IndexRow],
    organisation: Organisation,
    scope: str,
    value: str,
) -> tuple[int, int]:
    count = stale = 0
    for item in _evidence(organisation, scope, value).iterator(chunk_size=200):
        count += 1
        stale += int(item.is_stale)
        status = item.freshness
        if item.kind == EvidenceKind.LINK:
            location = item.url
        else:
            location = f"evidence/{item.pk}/{item.file_name or 'file'}"
            data = _read(item)
            if packfmt.sha256_bytes(data) != item.sha256:
                status = "HASH MISMATCH: stored file differs from the hash taken at upload"
            writer.add(location, data)
        base = {
            "item_type": "evidence",
            "title": item.title,
            "kind": item.get_kind_display(),
            "location": location,
            "effective_date": item.effective_date.isoformat(),
            "valid_until": item.valid_until.isoformat() if item.valid_until else "",
            "status": status,
            "sha256": item.sha256,
        }
        rows.extend(_rows_for(list(item.requirements.all()), base))
    return count, stale


def _add_documents(
    writer: packfmt.PackWriter,
    rows: list[IndexRow],
    organisation: Organisation,
    scope: str,
    value: str,
) -> int:
    from aimwell.documents.rendering import version_pdf

    documents = _documents(organisation, scope, value)
    for document in documents:
        version = document.published_version
        stem = f"documents/{document.reference}-v{version.number}"
        digest = writer.add(f"{stem}.pdf", version_pdf(version))
        writer.add(f"{stem}.md", version.body.encode())
        base = {
            "item_type": "document",
            "title": f"{document.reference} {document.title} v{version.number}",
            "kind": document.get_doc_type_display(),
            "location": f"{stem}.pdf",
            "effective_date": version.published_at.date().isoformat()
            if version.published_at
            else "",
            "valid_until": document.next_review_date.isoformat()
            if document.next_review_date
            else "",
            "status": "review overdue" if document.review_overdue else "published",
            "sha256": digest,
        }
        rows.extend(_rows_for(list(document.requirements.all()), base))
    return len(documents)


def _csv(rows: list[IndexRow]) -> bytes:
    return tabular.csv_bytes(
        CSV_HEADER, ([getattr(row, name) for name in CSV_HEADER] for row in rows)
    )


def pack_public_key(organisation: Organisation) -> str:
    return packfmt.public_key_text(packfmt.organisation_key(str(organisation.pk)))
