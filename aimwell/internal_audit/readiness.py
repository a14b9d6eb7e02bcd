"""What audit programmes, audits, checklists and findings feed into the certification readiness
score (aimwell.controls.hooks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aimwell.controls import hooks
from aimwell.internal_audit.choices import AuditStatus
from aimwell.internal_audit.models import Audit


def audit_progress(organisation: Any) -> hooks.StageProgress | None:
    from aimwell.internal_audit.services import assessable_nodes

    since = timezone.localdate() - dt.timedelta(days=365)
    total = assessable_nodes().count()
    if not total or not Audit.objects.filter(organisation=organisation).exists():
        return None
    covered = (
        Audit.requirements.through.objects.filter(
            audit__organisation=organisation,
            audit__status=AuditStatus.REPORTED,
            audit__reported_on__gte=since,
        )
        .values("requirementnode_id")
        .distinct()
        .count()
    )
    return hooks.StageProgress(
        percent=round(100 * covered / total, 1),
        detail=f"{covered} of {total} clauses and controls audited in reported audits of the "
        "last 12 months",
        links=[("Internal audits", "/operations/audits/")],
    )
