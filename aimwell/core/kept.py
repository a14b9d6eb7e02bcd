"""Figures kept per organisation until its next write.

Every write to an organisation's AIMS goes through a service that appends to its audit chain,
so the sequence number of the chain head names the state a figure was computed from. A figure
kept under a key holding that number (and today's date, for what falls due with the days) is
current until the next write, which moves the head: the next request computes afresh. Reading a
kept figure costs one primary-key read of the head. The cache is Django's (per process unless
CACHES names a shared one); a stale entry is never read, it only waits for its expiry.

The built-in catalog (the standards' requirements and their mappings, shared by every
organisation) is not an organisation's write: a catalog update shows in kept figures after the
organisation's next write or on the next day.

A guest's request is confined to the AI systems of their audit (aimwell.core.guests), so what it
computes is theirs alone: it is computed afresh for them, never kept, and never read from what
was kept for the organisation's members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

from aimwell.core.guests import current_limit
from aimwell.core.models import AuditChainHead

T = TypeVar("T")
SECONDS = 24 * 3600


def state_of(organisation_id: Any) -> str:
    """The organisation's state as of now: its chain head's sequence number and MAC, and today's
    date. The MAC names the last write itself, not only how many there were: a database restored
    from a backup and written to again reaches the same sequence number with other content."""
    head = (
        AuditChainHead.objects.filter(organisation_id=organisation_id)
        .values_list("seq", "mac")
        .first()
    )
    seq, mac = head if head is not None else (0, "")
    return f"{seq}:{mac}:{timezone.localdate().isoformat()}"


def kept(organisation_id: Any, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the organisation's current state (always `compute()`
    inside a guest's confined request)."""
    if current_limit() is not None:
        return compute()
    key = f"aimwell:kept:{name}:{organisation_id}:{state_of(organisation_id)}"
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, SECONDS)
    return found
