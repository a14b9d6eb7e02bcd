"""What this app feeds into the certification readiness score (aimwell.controls.hooks): open
nonconformities, training progress (stage 4) and internal-audit coverage (stage 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from aimwell.controls import hooks
from aimwell.operations.choices import AuditStatus, NCStatus
from aimwell.operations.models import Audit, Nonconformity


def open_nonconformities(organisation: Any) -> Iterable[hooks.OpenNonconformity]:
    rows = (
        Nonconformity.objects.filter(organisation=organisation)
        .exclude(status=NCStatus.CLOSED)
        .select_related("requirement")
        .order_by("reference")
    )
    return [
        hooks.OpenNonconformity(
            label=f"{nc.reference} {nc.title} ({nc.get_severity_display().lower()})",
            requirement_urns=(nc.requirement.urn,) if nc.requirement else (),
            url=f"/operations/nonconformities/{nc.pk}/",
        )
        for nc in rows
    ]


def training_progress(organisation: Any) -> hooks.StageProgress | None:
    from aimwell.operations.querysets import training_matrix

    matrix = training_matrix(organisation)
    required = sum(len(row.courses) for row in matrix["rows"])
    if not required:
        return None
    valid = required - sum(len(row.gaps) for row in matrix["rows"])
    return hooks.StageProgress(
        percent=round(100 * valid / required, 1),
        detail=f"{valid} of {required} required trainings valid across members",
        links=[("Training gaps", "/operations/training/matrix/")],
    )


def audit_progress(organisation: Any) -> hooks.StageProgress | None:
    from aimwell.operations.services.audits import assessable_nodes

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


def register() -> None:
    hooks.register_nonconformity_provider(open_nonconformities)
    hooks.register_stage_provider(4, training_progress)
    hooks.register_stage_provider(6, audit_progress)
