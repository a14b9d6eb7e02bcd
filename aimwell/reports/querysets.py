"""Read-side queries of reports: the packs built so far."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aimwell.reports.models import CertificationPack


def packs_for(user: Any, organisation: Any) -> QuerySet[CertificationPack]:
    return (
        CertificationPack.objects.visible_to(user, organisation)
        .select_related("created_by")
        .order_by("-created_at")
    )
