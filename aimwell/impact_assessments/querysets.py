"""Queries of impact assessments: the list with each one's risk count and review flag."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, QuerySet

from aimwell.impact_assessments import review
from aimwell.impact_assessments.models import ImpactAssessment
from aimwell.risks.querysets import is_uuid
from aimwell.risks.review import flagged_ids


def assessments_qs(organisation: Any) -> QuerySet[ImpactAssessment]:
    qs: QuerySet[ImpactAssessment] = (
        ImpactAssessment.objects.filter(organisation_id=organisation.pk)
        .select_related("system", "owner")
        .annotate(risk_count=Count("derived_risks"))
        .order_by("reference")
    )
    return qs


def assessments_list(organisation: Any, system: str | None = None) -> list[ImpactAssessment]:
    qs = assessments_qs(organisation)
    if system:
        qs = qs.filter(system_id=uuid.UUID(system)) if is_uuid(system) else qs.none()
    items = list(qs)
    flagged = flagged_ids(review.IMPACT_SUBJECT, organisation.pk)
    for item in items:
        item.needs_review = str(item.pk) in flagged  # type: ignore[attr-defined]
    return items
