from __future__ import annotations

from typing import Any

from django import template

from aimwell.lifecycle.choices import CriterionStatus, VVOutcome

register = template.Library()


@register.filter
def record_fields(record: Any) -> list[tuple[str, Any]]:
    """A life-cycle record's fields as (label, value), in the record's own order."""
    fields = [f for f in type(record).FIELDS if f != "owner"]
    rows = [
        (str(record._meta.get_field(f).verbose_name).capitalize(), getattr(record, f))
        for f in fields
    ]
    if hasattr(record, "datasets"):
        rows.append(("Datasets", ", ".join(d.name for d in record.datasets.all())))
    return rows


@register.filter
def vv_outcome_label(value: str) -> str:
    """The words for a computed V&V outcome (`in_progress` reads "In progress")."""
    return str(dict(VVOutcome.choices).get(value, value))


@register.filter
def criterion_status_label(value: str) -> str:
    """The words for a criterion's computed standing (`pending` reads "No result yet")."""
    return str(dict(CriterionStatus.choices).get(value, value))
