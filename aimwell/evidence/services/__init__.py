"""The only writers of evidence, links and evidence requests; each write records an event."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from aimwell.accounts.models import Membership, Organisation
from aimwell.catalog.models import RequirementNode
from aimwell.catalog.querysets import node_by_urn
from aimwell.core.audit import diff, record_for, snapshot
from aimwell.core.errors import DomainError
from aimwell.core.writes import refuse_empty
from aimwell.evidence import links as link_registry
from aimwell.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    EvidenceRequest,
    RequestStatus,
)
from aimwell.evidence.storage import max_upload_bytes
from aimwell.evidence.uploads import UploadRefused, check_upload

ITEM_FIELDS = ("title", "description", "owner", "effective_date", "validity_days", "valid_until")


class EvidenceError(DomainError):
    """A request about evidence that cannot be carried out; the message is for the user."""


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def valid_until(effective: dt.date, validity_days: int | None) -> dt.date | None:
    return effective + dt.timedelta(days=validity_days) if validity_days else None


def requirements_by_urn(organisation: Organisation, urns: Iterable[str]) -> list[RequirementNode]:
    nodes = []
    for urn in urns:
        node = node_by_urn(organisation, urn.strip())
        if node is None:
            raise EvidenceError(f"No requirement {urn!r} in the catalog.")
        nodes.append(node)
    return nodes


def _check_dates(effective_date: dt.date, validity_days: int | None) -> None:
    if effective_date > timezone.localdate() + dt.timedelta(days=1):
        raise EvidenceError("The effective date cannot be in the future.")
    if validity_days is not None and not 1 <= validity_days <= 3660:
        raise EvidenceError("The validity period must be between 1 and 3660 days.")


def _create(
    organisation: Organisation,
    *,
    kind: str,
    title: str,
    actor: Any,
    owner: Any | None,
    description: str,
    effective_date: dt.date | None,
    validity_days: int | None,
    requirements: Iterable[RequirementNode],
    **fields: Any,
) -> EvidenceItem:
    effective = effective_date or timezone.localdate()
    _check_dates(effective, validity_days)
    item = EvidenceItem(
        organisation=organisation,
        kind=kind,
        title=title.strip()[:200],
        description=description,
        owner=owner if owner is not None else _user(actor),
        effective_date=effective,
        validity_days=validity_days,
        valid_until=valid_until(effective, validity_days),
        **fields,
    )
    return item


def _finish(
    item: EvidenceItem, requirements: list[RequirementNode], actor: Any, action: str
) -> EvidenceItem:
    item.requirements.set(requirements)
    record_for(
        item,
        actor=actor,
        action=action,
        changes=diff(
            {},
            {
                **snapshot(item, ITEM_FIELDS),
                "kind": item.kind,
                "sha256": item.sha256 or None,
                "url": item.url or None,
                "requirements": sorted(n.urn for n in requirements),
            },
        ),
    )
    return item


@transaction.atomic
def add_file(
    organisation: Organisation,
    *,
    title: str,
    data: bytes,
    file_name: str,
    actor: Any,
    declared_type: str | None = None,
    owner: Any | None = None,
    description: str = "",
    effective_date: dt.date | None = None,
    validity_days: int | None = None,
    requirement_urns: Iterable[str] = (),
) -> EvidenceItem:
    """Upload a file: checked (size, content vs type, zip bombs), hashed, then stored."""
    try:
        checked = check_upload(
            data, file_name, declared_type=declared_type, max_bytes=max_upload_bytes()
        )
    except UploadRefused as exc:
        raise EvidenceError(str(exc)) from exc
    nodes = requirements_by_urn(organisation, requirement_urns)
    item = _create(
        organisation,
        kind=EvidenceKind.FILE,
        title=title or checked.name,
        actor=actor,
        owner=owner,
        description=description,
        effective_date=effective_date,
        validity_days=validity_days,
        requirements=nodes,
        file_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    item.file.save(checked.name, ContentFile(data), save=False)
    item.save()
    return _finish(item, nodes, actor, "evidence.uploaded")


@transaction.atomic
def add_link(
    organisation: Organisation,
    *,
    title: str,
    url: str,
    actor: Any,
    owner: Any | None = None,
    description: str = "",
    effective_date: dt.date | None = None,
    validity_days: int | None = None,
    requirement_urns: Iterable[str] = (),
) -> EvidenceItem:
    """Evidence kept elsewhere (a ticket, a wiki page, a dashboard), by URL."""
    if not url.startswith(("https://", "http://")):
        raise EvidenceError("A link must start with https:// or http://.")
    nodes = requirements_by_urn(organisation, requirement_urns)
    item = _create(
        organisation,
        kind=EvidenceKind.LINK,
        title=title,
        actor=actor,
        owner=owner,
        description=description,
        effective_date=effective_date,
        validity_days=validity_days,
        requirements=nodes,
        url=url[:500],
        sha256=hashlib.sha256(url.encode()).hexdigest(),
    )
    item.save()
    return _finish(item, nodes, actor, "evidence.linked")


@transaction.atomic
def record_product_evidence(
    organisation: Organisation,
    *,
    source: str,
    title: str,
    payload: dict[str, Any],
    actor: Any,
    requirement_ids: Iterable[Any] = (),
    links: Iterable[tuple[str, Any]] = (),
    valid_days: int | None = None,
    effective_date: dt.date | None = None,
) -> EvidenceItem:
    """A record produced by Aimwell itself (an approval, a monitoring result, a training
    completion), stored as canonical JSON so it is hashed and exported like any file."""
    content = json.dumps(
        {"source": source, "organisation": organisation.name, **payload},
        cls=DjangoJSONEncoder,
        indent=2,
        sort_keys=True,
        ensure_ascii=False,
    ).encode()
    nodes = list(RequirementNode.objects.filter(pk__in=list(requirement_ids)))
    item = _create(
        organisation,
        kind=EvidenceKind.RECORD,
        title=title,
        actor=actor,
        owner=None,
        description=f"Recorded by Aimwell ({source}).",
        effective_date=effective_date,
        validity_days=valid_days,
        requirements=nodes,
        source=source,
        file_name=f"{source.replace('.', '-')}.json",
        content_type="application/json",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    item.file.save(item.file_name, ContentFile(content), save=False)
    item.save()
    _finish(item, nodes, actor, "evidence.recorded")
    for label, target_id in links:
        add_target_link(item, target_type=label, target_id=target_id, actor=actor)
    return item


@transaction.atomic
def update_item(
    item: EvidenceItem,
    *,
    actor: Any,
    requirement_urns: Iterable[str] | None = None,
    **changes: Any,
) -> EvidenceItem:
    allowed = {"title", "description", "owner", "effective_date", "validity_days"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Not evidence fields: {sorted(unknown)}")
    refuse_empty(item, changes, EvidenceError)
    before = snapshot(item, ITEM_FIELDS)
    for name, value in changes.items():
        setattr(item, name, value)
    _check_dates(item.effective_date, item.validity_days)
    item.valid_until = valid_until(item.effective_date, item.validity_days)
    changed = diff(before, snapshot(item, ITEM_FIELDS))
    if requirement_urns is not None:
        before_urns = sorted(item.requirements.values_list("urn", flat=True))
        nodes = requirements_by_urn(item.organisation, requirement_urns)
        after_urns = sorted(n.urn for n in nodes)
        if after_urns != before_urns:
            item.requirements.set(nodes)
            changed["requirements"] = [before_urns, after_urns]
    if changed:
        item.save()
        record_for(item, actor=actor, action="evidence.updated", changes=changed)
    return item


@transaction.atomic
def retire_item(item: EvidenceItem, *, actor: Any) -> EvidenceItem:
    """Withdraw evidence (kept, with its file and hash, for the record)."""
    if not item.is_retired:
        item.is_retired = True
        item.save(update_fields=["is_retired", "updated_at"])
        record_for(
            item, actor=actor, action="evidence.retired", changes={"is_retired": [False, True]}
        )
    return item


@transaction.atomic
def add_target_link(
    item: EvidenceItem, *, target_type: str, target_id: Any, actor: Any
) -> EvidenceLink:
    try:
        target, obj = link_registry.resolve(target_type, target_id, item.organisation)
    except link_registry.LinkError as exc:
        raise EvidenceError(str(exc)) from exc
    existing = EvidenceLink.objects.filter(
        evidence=item, target_type=target.label, target_id=obj.pk
    ).first()
    if existing is not None:
        return existing
    link = EvidenceLink.objects.create(
        organisation_id=item.organisation_id,
        evidence=item,
        target_type=target.label,
        target_id=obj.pk,
        target_label=target.describe(obj)[:300],
    )
    record_for(
        item,
        actor=actor,
        action="evidence.link_added",
        changes={"link": [None, f"{target.label}:{obj.pk}"]},
    )
    return link


@transaction.atomic
def remove_target_link(link: EvidenceLink, *, actor: Any) -> None:
    item = link.evidence
    label = f"{link.target_type}:{link.target_id}"
    link.delete()
    record_for(item, actor=actor, action="evidence.link_removed", changes={"link": [label, None]})


def file_sha256(item: EvidenceItem) -> str | None:
    if not item.file:
        return None
    digest = hashlib.sha256()
    with item.file.storage.open(item.file.name, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def verify_integrity(item: EvidenceItem, *, actor: Any) -> bool:
    """Hash the stored file again and compare it with the hash taken at upload."""
    if item.kind == EvidenceKind.LINK:
        ok = hashlib.sha256(item.url.encode()).hexdigest() == item.sha256
    else:
        try:
            ok = file_sha256(item) == item.sha256
        except (FileNotFoundError, OSError):
            ok = False
    item.last_verified_at = timezone.now()
    item.last_verified_ok = ok
    item.save(update_fields=["last_verified_at", "last_verified_ok", "updated_at"])
    record_for(
        item,
        actor=actor,
        action="evidence.verified" if ok else "evidence.verification_failed",
        changes={"sha256_matches": [None, ok]},
    )
    return ok


@transaction.atomic
def request_evidence(
    organisation: Organisation,
    *,
    title: str,
    requested_from: Any,
    due_date: dt.date,
    actor: Any,
    description: str = "",
    requirement_urn: str | None = None,
) -> EvidenceRequest:
    if (
        not Membership.objects.active()
        .filter(organisation=organisation, user=requested_from)
        .exists()
    ):
        raise EvidenceError("Evidence can be requested only from a member of the organisation.")
    if due_date < timezone.localdate():
        raise EvidenceError("The due date cannot be in the past.")
    node = requirements_by_urn(organisation, [requirement_urn])[0] if requirement_urn else None
    req = EvidenceRequest.objects.create(
        organisation=organisation,
        title=title.strip()[:200],
        description=description,
        requested_from=requested_from,
        requested_by=_user(actor),
        due_date=due_date,
        requirement=node,
    )
    record_for(
        req,
        actor=actor,
        action="evidence_request.created",
        changes={
            "requested_from": [None, requested_from.email],
            "due_date": [None, due_date.isoformat()],
            "requirement": [None, node.urn if node else None],
        },
    )
    return req


@transaction.atomic
def fulfil_request(req: EvidenceRequest, *, evidence: EvidenceItem, actor: Any) -> EvidenceRequest:
    if req.status == RequestStatus.FULFILLED and req.evidence_id == evidence.pk:
        return req  # already fulfilled with this evidence
    if req.status != RequestStatus.OPEN:
        raise EvidenceError(f"This request is already {req.get_status_display().lower()}.")
    if evidence.organisation_id != req.organisation_id:
        raise EvidenceError("That evidence belongs to another organisation.")
    req.status = RequestStatus.FULFILLED
    req.evidence = evidence
    req.closed_at = timezone.now()
    req.save(update_fields=["status", "evidence", "closed_at", "updated_at"])
    if req.requirement_id and not evidence.requirements.filter(pk=req.requirement_id).exists():
        evidence.requirements.add(req.requirement)  # type: ignore[arg-type]
    record_for(
        req,
        actor=actor,
        action="evidence_request.fulfilled",
        changes={"status": ["open", "fulfilled"], "evidence": [None, str(evidence.pk)]},
    )
    return req


@transaction.atomic
def cancel_request(req: EvidenceRequest, *, actor: Any) -> EvidenceRequest:
    if req.status == RequestStatus.CANCELLED:
        return req
    if req.status != RequestStatus.OPEN:
        raise EvidenceError(f"This request is already {req.get_status_display().lower()}.")
    req.status = RequestStatus.CANCELLED
    req.closed_at = timezone.now()
    req.save(update_fields=["status", "closed_at", "updated_at"])
    record_for(
        req,
        actor=actor,
        action="evidence_request.cancelled",
        changes={"status": ["open", "cancelled"]},
    )
    return req
