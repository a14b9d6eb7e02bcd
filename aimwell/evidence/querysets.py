"""Read-side queries of evidence: lists with their links, staleness, requests, packs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from aimwell.catalog.models import RequirementNode
from aimwell.evidence.models import (
    SOON_DAYS,
    EvidenceItem,
    EvidenceLink,
    EvidencePack,
    EvidenceRequest,
    RequestStatus,
)


def _with_related(qs: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    return qs.select_related("owner").prefetch_related(
        Prefetch(
            "requirements",
            queryset=RequirementNode.objects.select_related("framework").only(
                "id", "urn", "ref_id", "title", "framework__urn", "framework__name"
            ),
        ),
        "links",
    )


def evidence_for(
    user: Any,
    organisation: Any,
    *,
    freshness: str = "",
    kind: str = "",
    requirement: str = "",
    q: str = "",
    include_retired: bool = False,
) -> QuerySet[EvidenceItem]:
    qs = EvidenceItem.objects.visible_to(user, organisation)
    if not include_retired:
        qs = qs.filter(is_retired=False)
    today = timezone.localdate()
    if freshness == "stale":
        qs = qs.filter(valid_until__lt=today)
    elif freshness == "expiring":
        qs = qs.filter(
            valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=SOON_DAYS)
        )
    elif freshness == "current":
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    if kind:
        qs = qs.filter(kind=kind)
    if requirement:
        qs = qs.filter(requirements__urn=requirement)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return _with_related(qs).order_by("-effective_date", "title").distinct()


def evidence_linked_to(
    target_type: str, target_id: Any, organisation_id: Any
) -> list[EvidenceItem]:
    """Evidence linked to one object of another app, with staleness, for its page."""
    ids = EvidenceLink.objects.filter(
        organisation_id=organisation_id, target_type=target_type, target_id=target_id
    ).values("evidence_id")
    return list(
        EvidenceItem.objects.filter(pk__in=ids, is_retired=False)
        .select_related("owner")
        .order_by("-effective_date")
    )


def evidence_for_requirement(node: RequirementNode, organisation_id: Any) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.filter(
            organisation_id=organisation_id, requirements=node, is_retired=False
        ).order_by("-effective_date")
    )


def freshness_summary(organisation: Any) -> dict[str, Any]:
    """Evidence counts by freshness: an input for the readiness score (stale evidence weighs
    against a requirement until it is renewed)."""
    today = timezone.localdate()
    counts = EvidenceItem.objects.filter(
        organisation_id=organisation.pk, is_retired=False
    ).aggregate(
        total=Count("id"),
        stale=Count("id", filter=Q(valid_until__lt=today)),
        expiring=Count(
            "id",
            filter=Q(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=SOON_DAYS)),
        ),
    )
    stale_requirements = (
        RequirementNode.objects.filter(
            evidence_items__organisation_id=organisation.pk,
            evidence_items__is_retired=False,
            evidence_items__valid_until__lt=today,
        )
        .distinct()
        .count()
    )
    total = counts["total"] or 0
    return {
        **counts,
        "current": total - (counts["stale"] or 0),
        "stale_requirements": stale_requirements,
        "fresh_share": round((total - counts["stale"]) / total, 4) if total else 0.0,
    }


def requests_for(user: Any, organisation: Any, *, status: str = "") -> QuerySet[EvidenceRequest]:
    qs = EvidenceRequest.objects.visible_to(user, organisation).select_related(
        "requested_from", "requested_by", "requirement", "evidence"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_date")


def open_requests_for_user(user: Any, organisation: Any) -> QuerySet[EvidenceRequest]:
    return requests_for(user, organisation, status=RequestStatus.OPEN).filter(requested_from=user)


def packs_for(user: Any, organisation: Any) -> QuerySet[EvidencePack]:
    return EvidencePack.objects.visible_to(user, organisation).select_related("created_by")
