"""What an auditor's sample can point at: the records of the organisation that the engagement's
audit covers (its areas, and its AI systems when it covers only some).

The workspace's picker searches here, and `add_sample` resolves the picked id here, so a sample
can never name a record outside the audit, of another organisation, or of another type than the
one it claims. A record kept outside Aimwell (a sampled training file, a ticket) is a sample of
type "record", described in words."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from aimwell.catalog.models import RequirementNode
from aimwell.certification.choices import Area, SampleType
from aimwell.certification.models import Engagement, ExternalAudit, Sample
from aimwell.certification.scope import GuestScope
from aimwell.certification.services import CertificationError
from aimwell.controls.models import CustomControl
from aimwell.core import guests
from aimwell.documents.models import Document
from aimwell.evidence.models import EvidenceItem
from aimwell.inventory.models import AISystem

PAGE = 20
ANNEX_A = "iso42001:2023"


@dataclass(frozen=True)
class Candidate:
    """One record a sample may name: its id, the name a person reads, and its page."""

    value: str
    label: str
    detail: str
    url: str


Finder = Callable[[Any, GuestScope, str, "uuid.UUID | None"], list[Candidate]]


def _terms(field_names: tuple[str, ...], query: str) -> Q:
    """Every word of the query in one of the fields (a name, a reference)."""
    condition = Q()
    for word in query.split():
        either = Q()
        for name in field_names:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def _narrowed(queryset: QuerySet[Any], organisation_id: Any, scope: GuestScope) -> QuerySet[Any]:
    """The rows of the audit's AI systems (and those of none), by the one rule guests follow."""
    if scope.all_systems:
        return queryset
    limit = guests.GuestLimit(str(organisation_id), scope.system_ids)
    return guests.narrow(queryset, [limit], organisation_id)


def _pick(queryset: QuerySet[Any], pk: uuid.UUID | None) -> QuerySet[Any]:
    return queryset.filter(pk=pk) if pk is not None else queryset[:PAGE]


def _systems(org_id: Any, scope: GuestScope, query: str, pk: uuid.UUID | None) -> list[Candidate]:
    systems = AISystem.objects.filter(organisation_id=org_id).filter(_terms(("name",), query))
    rows = _pick(_narrowed(systems, org_id, scope).order_by("name"), pk)
    return [
        Candidate(str(s.pk), s.name, "", reverse("inventory:system", args=[s.pk])) for s in rows
    ]


def _documents(org_id: Any, scope: GuestScope, query: str, pk: uuid.UUID | None) -> list[Candidate]:
    documents = Document.objects.filter(organisation_id=org_id).filter(
        _terms(("title", "reference"), query)
    )
    rows = _pick(_narrowed(documents, org_id, scope).order_by("reference", "title"), pk)
    return [
        Candidate(str(d.pk), d.title, d.reference, reverse("documents:detail", args=[d.pk]))
        for d in rows
    ]


def _evidence(org_id: Any, scope: GuestScope, query: str, pk: uuid.UUID | None) -> list[Candidate]:
    items = EvidenceItem.objects.filter(organisation_id=org_id).filter(_terms(("title",), query))
    rows = _pick(_narrowed(items, org_id, scope).order_by("title"), pk)
    return [
        Candidate(
            str(e.pk), e.title, str(e.effective_date), reverse("evidence:detail", args=[e.pk])
        )
        for e in rows
    ]


def _controls(org_id: Any, scope: GuestScope, query: str, pk: uuid.UUID | None) -> list[Candidate]:
    """Annex A controls (shared reference content) and the organisation's own controls."""
    annex = RequirementNode.objects.filter(
        framework__urn=ANNEX_A,
        framework__organisation__isnull=True,
        kind="control",
        is_retired=False,
    ).filter(_terms(("ref_id", "title"), query))
    own = CustomControl.objects.filter(organisation_id=org_id).filter(
        _terms(("code", "title"), query)
    )
    found = [
        Candidate(str(n.pk), f"{n.ref_id} {n.title}", "Annex A", _entry_url(n.ref_id))
        for n in _pick(annex.order_by("position"), pk)
    ]
    found += [
        Candidate(str(c.pk), f"{c.code} {c.title}", "Own control", _entry_url(str(c.pk)))
        for c in _pick(own.order_by("code"), pk)
    ]
    return found[:PAGE]


def _entry_url(key: str) -> str:
    return reverse("controls:entry", args=[key])


@dataclass(frozen=True)
class Source:
    area: str  # the part of the AIMS an audit must cover to sample these
    noun: str  # what a message calls one of them
    find: Finder


# The sample types that name a record held in Aimwell, and how to find them.
SOURCES: dict[str, Source] = {
    SampleType.SYSTEM: Source(Area.SYSTEMS, "AI system", _systems),
    SampleType.CONTROL: Source(Area.CONTROLS, "control", _controls),
    SampleType.DOCUMENT: Source(Area.DOCUMENTS, "document", _documents),
    SampleType.EVIDENCE: Source(Area.EVIDENCE, "evidence item", _evidence),
}


def audit_scope(audit: ExternalAudit) -> GuestScope:
    return GuestScope.of([audit])


def candidates(engagement: Engagement, object_type: str, query: str) -> list[Candidate]:
    """Up to a page of records of that type within the engagement's audit, matching the query."""
    source = SOURCES.get(object_type)
    scope = audit_scope(engagement.audit)
    if source is None or source.area not in scope.areas:
        return []
    return source.find(engagement.organisation_id, scope, query.strip()[:200], None)


def resolve(engagement: Engagement, object_type: str, object_id: str) -> Candidate | None:
    """The record a sample names, checked against the engagement's audit; None for a record
    described in words. Raises CertificationError when the id names nothing the audit covers."""
    object_id = object_id.strip()
    source = SOURCES.get(object_type)
    if source is None:
        if object_id:
            raise CertificationError(
                "A record kept outside Aimwell is described in words; to sample a system, "
                "control, document or evidence item, choose that type and pick it.",
                field="object_id",
            )
        return None
    scope = audit_scope(engagement.audit)
    if source.area not in scope.areas:
        raise CertificationError(
            f"{Area(source.area).label} are outside the scope of this audit.", field="object_type"
        )
    if not object_id:
        raise CertificationError(f"Pick the {source.noun} you sampled.", field="object_id")
    try:
        pk = uuid.UUID(object_id)
    except ValueError:
        pk = None
    found = source.find(engagement.organisation_id, scope, "", pk) if pk is not None else []
    if not found:
        raise CertificationError(
            f"No {source.noun} within this audit's scope matches what was picked.",
            field="object_id",
        )
    return found[0]


def record_url(sample: Sample) -> str | None:
    """The page of the record a sample names (None for a record described in words)."""
    if sample.object_type not in SOURCES:
        return None
    try:
        pk = uuid.UUID(sample.object_id)
    except ValueError:  # samples recorded before the picker held free text
        return None
    if sample.object_type == SampleType.CONTROL:
        return _entry_url(str(pk))
    name = {
        SampleType.SYSTEM: "inventory:system",
        SampleType.DOCUMENT: "documents:detail",
        SampleType.EVIDENCE: "evidence:detail",
    }[SampleType(sample.object_type)]
    return reverse(name, args=[pk])
