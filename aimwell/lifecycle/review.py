"""Deployment approvals plug into the inventory's *needs review* mechanism: whatever changes a
system (a new model version through a form, the API or a registry sync, a new dataset, a changed
purpose) flags its current approval, without the inventory knowing this app."""

from __future__ import annotations

from collections.abc import Iterable

from aimwell.inventory.models import AISystem
from aimwell.inventory.services.review import Dependent, register_dependents
from aimwell.lifecycle.status import APPROVAL_SUBJECT


@register_dependents
def _approval_of(system: AISystem) -> Iterable[Dependent]:
    from aimwell.lifecycle.models import DeploymentApproval

    latest = (
        DeploymentApproval.objects.filter(system=system)
        .order_by("-number")
        .values_list("pk", "number", "model_label")
        .first()
    )
    if latest is not None:
        pk, number, model_label = latest
        yield (
            APPROVAL_SUBJECT,
            str(pk),
            f"Deployment approval {number} of {system.name} ({model_label})",
        )
