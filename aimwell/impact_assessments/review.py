"""Impact assessments plug into the inventory's *needs review* mechanism: a change to their AI
system (a new model version, a new dataset, a changed purpose) flags them until they are
reassessed and approved again."""

from __future__ import annotations

from collections.abc import Iterable

from aimwell.inventory.models import AISystem
from aimwell.inventory.services.review import Dependent, register_dependents

IMPACT_SUBJECT = "impact_assessments.impactassessment"


@register_dependents
def _assessments_of(system: AISystem) -> Iterable[Dependent]:
    from aimwell.impact_assessments.models import ImpactAssessment

    for pk, reference, title in ImpactAssessment.objects.filter(system=system).values_list(
        "pk", "reference", "title"
    ):
        yield (IMPACT_SUBJECT, str(pk), f"Impact assessment {reference} {title}")
