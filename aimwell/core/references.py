"""Human references of records (R-001, NC-002, CR-003): numbers allocated from a per-organisation
counter row (core.ReferenceCounter), safe under concurrent creation on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Max

from aimwell.core.models import AuditChainHead, ReferenceCounter


def _highest(references: Iterable[str]) -> int:
    """The highest number among references of the form PREFIX-NNN (others are ignored)."""
    numbers = [r.rsplit("-", 1)[-1] for r in references]
    return max((int(n) for n in numbers if n.isdigit()), default=0)


def next_number(
    model: type[models.Model], organisation_id: Any, prefix: str, number_field: str | None = None
) -> int:
    """The next number of `prefix` references of `model` in the organisation.

    The counter row is incremented in the caller's transaction: PostgreSQL holds its lock until
    the record is committed (a second creator waits, then gets the next number); SQLite has one
    writer at a time anyway. The first allocation for a kind starts after the highest reference
    already stored (records created before counters existed, or imported): read from
    `number_field` (an indexed integer copy of the number, one index probe) when the model keeps
    one, else by reading the organisation's references of that prefix once."""
    kind = f"{model._meta.label_lower}:{prefix}"
    counters = ReferenceCounter.objects.filter(organisation_id=organisation_id, kind=kind)
    with transaction.atomic():
        # Lock order: the audit chain head first, as every audited write of the organisation
        # takes it. Taking the counter first would deadlock against a transaction that recorded
        # an event (holding the head) and then creates a numbered record.
        list(
            AuditChainHead.objects.select_for_update()
            .filter(organisation_id=organisation_id)
            .values_list("pk", flat=True)
        )
        if not counters.update(last=F("last") + 1):
            start = _stored_highest(model, organisation_id, prefix, number_field)
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(
                        organisation_id=organisation_id, kind=kind, last=start + 1
                    )
            except IntegrityError:  # another creator made the counter first: take the next one
                counters.update(last=F("last") + 1)
        return int(counters.values_list("last", flat=True).get())


def _stored_highest(
    model: type[models.Model], organisation_id: Any, prefix: str, number_field: str | None
) -> int:
    rows = model._default_manager.filter(organisation_id=organisation_id)
    if number_field is not None:
        return int(rows.aggregate(top=Max(number_field))["top"] or 0)
    return _highest(
        rows.filter(reference__startswith=f"{prefix}-").values_list("reference", flat=True)
    )


def number_of(reference: str) -> int:
    """The number of a PREFIX-NNN reference (0 when it has none): what orders references."""
    tail = reference.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def next_reference(
    model: type[models.Model], organisation_id: Any, prefix: str, digits: int = 3
) -> str:
    return f"{prefix}-{next_number(model, organisation_id, prefix):0{digits}d}"


def allocate(
    model: type[models.Model], organisation_id: Any, prefix: str, number_field: str, digits: int = 3
) -> tuple[str, int]:
    """The next reference and its number, for a model that keeps the number in `number_field`
    (so that its lists sort R-99 before R-100, and the first allocation reads one index entry)."""
    number = next_number(model, organisation_id, prefix, number_field)
    return f"{prefix}-{number:0{digits}d}", number
