"""Writing and verifying the tamper-evident audit trail.

Each organisation has one chain. Writers take the chain head with SELECT ... FOR UPDATE (on SQLite
the IMMEDIATE transaction already serialises writers), so concurrent writes still form one linear
chain. Verification streams rows as tuples through a server-side cursor and holds one event at a
time, so memory stays flat whatever the chain's length.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from aimwell.core import events as domain_events
from aimwell.core.models import AuditChainHead, AuditEvent

GENESIS_MAC = "0" * 64
_SEP = "\x1f"
_VERIFY_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "prev_mac",
    "mac",
)


def _key() -> bytes:
    return settings.AIMWELL_AUDIT_KEY.encode()


def canonical_changes(changes: Mapping[str, Any] | None) -> str:
    return json.dumps(
        changes or {},
        cls=DjangoJSONEncoder,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _utc_text(value: dt.datetime | str) -> str:
    """The event time as canonical text, whichever form the database driver returned it in.

    Verification reads the time as text straight from the database (PostgreSQL formats it in
    SQL; SQLite stores naive UTC text), which is several times faster than building datetimes.
    """
    if isinstance(value, str):
        if value.endswith("+00:00"):
            return value
        if len(value) == 19:  # SQLite omits a zero fraction
            value += ".000000"
        return value.replace(" ", "T", 1) + "+00:00"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _uuid_text(value: uuid.UUID | str | None) -> str:
    """UUIDs as 32 hex digits: SQLite stores them so, PostgreSQL drivers return UUID objects."""
    if value is None:
        return ""
    return value.hex if isinstance(value, uuid.UUID) else value.replace("-", "")


def _event_mac(key: bytes, organisation_id: str, row: tuple[Any, ...]) -> str:
    (
        seq,
        occurred_at,
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        object_repr,
        changes,
        prev_mac,
    ) = row
    message = _SEP.join(
        (
            prev_mac,
            str(seq),
            organisation_id,
            _utc_text(occurred_at),
            _uuid_text(actor_id),
            actor_label,
            action,
            object_type,
            object_id,
            object_repr,
            changes,
        )
    )
    return hmac.digest(key, message.encode(), "sha256").hex()


def _checkpoint_mac(key: bytes, organisation_id: str, seq: int, mac: str) -> str:
    message = _SEP.join(("checkpoint", organisation_id, str(seq), mac))
    return hmac.digest(key, message.encode(), "sha256").hex()


def start_chain(organisation_id: uuid.UUID) -> AuditChainHead:
    """Create the empty chain of a new organisation (inside the transaction that creates it)."""
    org = _uuid_text(organisation_id)
    return AuditChainHead.objects.create(
        organisation_id=organisation_id,
        seq=0,
        mac=GENESIS_MAC,
        checkpoint_mac=_checkpoint_mac(_key(), org, 0, GENESIS_MAC),
    )


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


# A model that moved to another app keeps the events recorded under its former label: the label
# is part of each event's MAC, so events are never rewritten. Readers ask for every label.
_FORMER_TYPES: dict[str, set[str]] = {}
_CURRENT_TYPE: dict[str, str] = {}


def register_moved_model(former: str, current: str) -> None:
    """Record that events of `former` ("operations.incident") belong to `current` now."""
    _FORMER_TYPES.setdefault(current, set()).add(former)
    _CURRENT_TYPE[former] = current


def current_object_type(object_type: str) -> str:
    """The label a model has now, for a label an event was recorded under."""
    return _CURRENT_TYPE.get(object_type, object_type)


def object_types(object_type: str) -> list[str]:
    """Every label events of this model were recorded under, the current one first."""
    current = current_object_type(object_type)
    return [current, *sorted(_FORMER_TYPES.get(current, ()))]


@dataclass(frozen=True)
class PendingEvent:
    """An event to append: what happened to which object."""

    action: str
    object_type: str
    object_id: object
    object_repr: str
    changes: Mapping[str, Any] | None = None


def record_events(
    *, organisation_id: uuid.UUID, actor: Any | None, events: Iterable[PendingEvent]
) -> list[AuditEvent]:
    """Append events to the organisation's chain under one lock of its head.

    Call it inside the service's transaction. A bulk import appends its hundreds of events with
    one lock, one insert and one head update instead of one round of each per event.
    """
    key = _key()
    org = _uuid_text(organisation_id)
    with transaction.atomic():
        head = (
            AuditChainHead.objects.select_for_update()
            .filter(organisation_id=organisation_id)
            .first()
        )
        if head is None:
            head = start_chain(organisation_id)
        is_user = bool(actor is not None and getattr(actor, "is_authenticated", False))
        actor_id = getattr(actor, "pk", None) if is_user else None
        actor_label = (str(getattr(actor, "email", "")) if is_user else str(actor or "system"))[
            :200
        ]
        now = timezone.now()
        seq, prev = head.seq, head.mac
        rows: list[AuditEvent] = []
        for pending in events:
            seq += 1
            event = AuditEvent(
                organisation_id=organisation_id,
                seq=seq,
                occurred_at=now,
                actor_id=actor_id,
                actor_label=actor_label,
                action=pending.action[:64],
                object_type=pending.object_type[:100],
                object_id=str(pending.object_id)[:64],
                object_repr=str(pending.object_repr)[:300],
                changes=canonical_changes(pending.changes),
                prev_mac=prev,
            )
            event.mac = _event_mac(
                key,
                org,
                (
                    event.seq,
                    event.occurred_at,
                    event.actor_id,
                    event.actor_label,
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.object_repr,
                    event.changes,
                    event.prev_mac,
                ),
            )
            prev = event.mac
            rows.append(event)
        if rows:
            AuditEvent.objects.bulk_create(rows)
            AuditChainHead.objects.filter(organisation_id=organisation_id).update(
                seq=seq,
                mac=prev,
                checkpoint_mac=_checkpoint_mac(key, org, seq, prev),
                updated_at=now,
            )
            domain_events.announce(_as_domain_events(organisation_id, rows))
    return rows


def _as_domain_events(
    organisation_id: uuid.UUID, rows: list[AuditEvent]
) -> Iterator[domain_events.DomainEvent]:
    for row in rows:
        yield domain_events.DomainEvent(
            organisation_id=organisation_id,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            object_repr=row.object_repr,
            changes=json.loads(row.changes),
            occurred_at=row.occurred_at,
            actor_label=row.actor_label,
        )


def record_event(
    *,
    organisation_id: uuid.UUID,
    actor: Any | None,
    action: str,
    object_type: str,
    object_id: object,
    object_repr: str,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the organisation's chain. Call it inside the service's transaction."""
    pending = PendingEvent(action, object_type, object_id, object_repr, changes)
    return record_events(organisation_id=organisation_id, actor=actor, events=[pending])[0]


def pending_for(
    obj: models.Model, *, action: str, changes: Mapping[str, Any] | None = None
) -> PendingEvent:
    return PendingEvent(action, object_type_of(obj), obj.pk, str(obj), changes)


def record_for(
    obj: models.Model,
    *,
    actor: Any | None,
    action: str,
    changes: Mapping[str, Any] | None = None,
    organisation_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Record an event about a model instance that belongs to an organisation."""
    org_id = organisation_id or obj.organisation_id  # type: ignore[attr-defined]
    return record_event(
        organisation_id=org_id,
        actor=actor,
        action=action,
        object_type=object_type_of(obj),
        object_id=obj.pk,
        object_repr=str(obj),
        changes=changes,
    )


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values in JSON-friendly form, to diff before and after a change."""
    encoder = DjangoJSONEncoder()
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        if isinstance(value, (dt.datetime, dt.date, uuid.UUID)):
            value = encoder.default(value)
        values[name] = value
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as {field: [before, after]}."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


@dataclass
class ChainProblem:
    organisation_id: str
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "the chain head"
        return f"organisation {self.organisation_id}: {where}: {self.reason}"


@dataclass
class VerifyReport:
    organisations: int = 0
    events: int = 0
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _select_sql() -> str:
    """Each event's sequence number, previous MAC, the canonical text its MAC covers (as
    `_event_mac` joins it), and its MAC. The database builds the text (C string functions,
    while this process hashes the previous chunk); PostgreSQL formats the time and the actor id
    in SQL, SQLite's stored text needs only the `T`, the zero fraction it omits and the offset.
    """
    quote = connection.ops.quote_name
    sep = f"'{_SEP}'"
    if connection.vendor == "postgresql":
        occurred = (
            f"to_char({quote('occurred_at')} AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\')'
        )
        actor = f"coalesce(replace({quote('actor_id')}::text, '-', ''), '')"
        seq = f"{quote('seq')}::text"
    else:
        at = quote("occurred_at")
        occurred = (
            f"CASE WHEN {at} LIKE '%%+00:00' THEN {at} "
            f"WHEN length({at}) = 19 THEN replace({at}, ' ', 'T') || '.000000+00:00' "
            f"ELSE replace({at}, ' ', 'T') || '+00:00' END"
        )
        actor = f"coalesce(replace({quote('actor_id')}, '-', ''), '')"
        seq = f"CAST({quote('seq')} AS TEXT)"
    parts = [
        quote("prev_mac"),
        seq,
        "CAST(%s AS TEXT)",
        occurred,
        actor,
        *(quote(c) for c in ("actor_label", "action", "object_type", "object_id")),
        quote("object_repr"),
        quote("changes"),
    ]
    message = f" || {sep} || ".join(parts)
    table = quote(AuditEvent._meta.db_table)
    return (
        f"SELECT {quote('seq')}, {quote('prev_mac')}, {message}, {quote('mac')} "  # noqa: S608
        f"FROM {table} WHERE organisation_id = %s ORDER BY {quote('seq')}"
    )


def _stream(organisation_id: uuid.UUID, chunk_size: int) -> Iterator[tuple[Any, ...]]:
    """Rows as plain tuples through the backend's chunked cursor (server-side on PostgreSQL)."""
    org_param: Any = organisation_id.hex if connection.vendor == "sqlite" else organisation_id
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(_select_sql(), [organisation_id.hex, org_param])
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def verify_organisation(
    organisation_id: uuid.UUID, *, chunk_size: int = 20_000
) -> tuple[int, ChainProblem | None]:
    """Walk one organisation's chain; return the events checked and the first problem found."""
    key = _key()
    org = _uuid_text(organisation_id)
    shown = str(organisation_id)
    expected_prev = GENESIS_MAC
    expected_seq = 1
    checked = 0
    digest, same = hmac.digest, hmac.compare_digest
    for seq, prev_mac, message, mac in _stream(organisation_id, chunk_size):
        if seq != expected_seq:
            reason = (
                f"expected event #{expected_seq} next, found #{seq}: "
                "events were deleted or reordered"
            )
            return checked, ChainProblem(shown, expected_seq, reason)
        if prev_mac != expected_prev:
            return checked, ChainProblem(
                shown, seq, "does not link to the previous event (rows swapped or replaced)"
            )
        if not same(digest(key, message.encode(), "sha256").hex(), mac):
            return checked, ChainProblem(
                shown, seq, "content does not match its MAC (edited, or rewritten without the key)"
            )
        expected_prev = mac
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(organisation_id=organisation_id).first()
    last_seq = expected_seq - 1
    if head is None:
        return checked, ChainProblem(shown, None, "the checkpoint is missing")
    if not hmac.compare_digest(_checkpoint_mac(key, org, head.seq, head.mac), head.checkpoint_mac):
        return checked, ChainProblem(shown, None, "the checkpoint was altered without the key")
    if head.seq != last_seq or head.mac != expected_prev:
        reason = (
            f"the checkpoint records {head.seq} events but the chain ends at #{last_seq}: "
            "the newest events were deleted or replaced"
        )
        return checked, ChainProblem(shown, last_seq + 1 if head.seq > last_seq else None, reason)
    return checked, None


def verify_chains(organisation_ids: Iterable[uuid.UUID]) -> VerifyReport:
    report = VerifyReport()
    for organisation_id in organisation_ids:
        checked, problem = verify_organisation(organisation_id)
        report.organisations += 1
        report.events += checked
        if problem is not None:
            report.problems.append(problem)
    return report
