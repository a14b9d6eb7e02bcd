from __future__ import annotations

from typing import Any

from django import template

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
