"""A system's current classification plugs into the inventory's *needs review* mechanism: a change
to the system (a new model version, a changed purpose) flags it until it is decided again."""

from __future__ import annotations

from collections.abc import Iterable

from aimwell.classification.models import Classification
from aimwell.inventory.models import AISystem
from aimwell.inventory.services.review import Dependent, register_dependents

CLASSIFICATION_SUBJECT = "classification.classification"


@register_dependents
def _current_classification(system: AISystem) -> Iterable[Dependent]:
    current = Classification.objects.filter(system=system, is_current=True).first()
    if current is not None:
        yield (
            CLASSIFICATION_SUBJECT,
            str(current.pk),
            f"EU AI Act classification of {system.name}",
        )
