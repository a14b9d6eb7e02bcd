"""What nonconformities and their corrective actions feed into the certification readiness score
(aimwell.controls.hooks)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aimwell.controls import hooks
from aimwell.improvement.choices import NCStatus
from aimwell.improvement.models import Nonconformity


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
