"""The rule registry: each rule is a small named unit with the clause or article it protects, how
serious a finding would be at audit, the area it belongs to, an example and how to fix it.

A rule's check is a pure function of a `Context` (the organisation, today, and memoised shared
queries) that yields `Hit`s; the engine turns hits into findings. Rules read, never write."""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import lazy

if TYPE_CHECKING:
    from django.db.models import QuerySet


class Severity(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return {"major": 3, "minor": 2, "observation": 1}[self.value]


SEVERITY_LABELS = {
    Severity.MAJOR: "Would be a major nonconformity",
    Severity.MINOR: "Would be a minor nonconformity",
    Severity.OBSERVATION: "Observation",
}


class Area(StrEnum):
    TIME = "time"
    STATEMENTS = "statements"
    COVERAGE = "coverage"
    RECORDS = "records"
    LIFECYCLE = "lifecycle"

    @property
    def label(self) -> str:
        return AREA_LABELS[self]


AREA_LABELS = {
    Area.TIME: "Time: dates in order",
    Area.STATEMENTS: "Statements vs data",
    Area.COVERAGE: "Coverage",
    Area.RECORDS: "Records held as documented information",
    Area.LIFECYCLE: "Life cycle and planned changes",
}


@dataclass(frozen=True)
class RecordRef:
    """A record a finding names, with the page that shows it ('' when it has none)."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class Hit:
    """What a rule found: `subject` identifies it stably (for acknowledgements), the message
    names the records, `fix_url` is where to correct it."""

    subject: str
    message: str
    records: tuple[RecordRef, ...] = ()
    fix_url: str = ""


@dataclass
class Context:
    organisation: Any
    today: dt.date
    now: dt.datetime
    memo: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """A query shared by several rules, run once per check."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


Check = Callable[[Context], Iterator[Hit]]
# The records a rule finds, as a query, when each is one hit whose subject is the record's key:
# counting findings (readiness) then asks the database for a count instead of building a finding
# per record (at scale, thousands of systems and risks).
Matches = Callable[[Context], "QuerySet[Any]"]


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    clause: str  # e.g. "ISO/IEC 42001 10.2" or "EU AI Act Art. 73"
    severity: Severity
    area: Area
    example: str  # a contradiction this rule finds, in our words (docs)
    fix: str  # what to do about a finding (docs and page)
    check: Check
    matches: Matches | None = None

    @property
    def clause_key(self) -> str:
        """The clause without the framework name, for grouping (e.g. "10.2", "Art. 73")."""
        return self.clause.split(" ", 2)[-1] if self.clause.startswith("ISO/IEC") else self.clause


RULES: dict[str, Rule] = {}


def rule(
    key: str,
    *,
    title: str,
    clause: str,
    severity: Severity,
    area: Area,
    example: str,
    fix: str,
) -> Callable[[Check], Check]:
    """Register the decorated check as a rule."""

    def register(check: Check) -> Check:
        if key in RULES:
            raise ValueError(f"Two consistency rules share the key {key!r}.")
        RULES[key] = Rule(key, title, clause, severity, area, example, fix, check)
        return check

    return register


def counted_by(key: str) -> Callable[[Matches], Matches]:
    """Register the query of the records rule `key` finds (see `Matches`); the rule's tests
    check that it finds the same records as the rule's check."""

    def register(matches: Matches) -> Matches:
        RULES[key] = dataclasses.replace(RULES[key], matches=matches)
        return matches

    return register


_UUID_ARG = uuid.UUID(int=0)
_STR_ARG = "consistency-arg"


@functools.lru_cache(maxsize=256)
def _pattern(prefix: str, name: str, kind: str) -> tuple[str, str] | None:
    """The page's address with a stand-in for its one argument (reversing is slow: a check of
    10,000 systems names thousands of records)."""
    stand_in: Any = {"uuid": _UUID_ARG, "str": _STR_ARG}.get(kind)
    try:
        address = reverse(name, args=[] if stand_in is None else [stand_in])
    except NoReverseMatch:
        return None
    return address, "" if stand_in is None else str(stand_in)


class Key(str):
    """A primary key read as text (see `key_text`): as good as a UUID in an address, without
    building a UUID object per row."""


def key_text(value: Any) -> Key:
    """The canonical (dashed) text of a UUID primary key, from the database's text of it
    (SQLite keeps 32 hex digits, PostgreSQL the dashed form)."""
    text = str(value)
    if len(text) == 32:
        text = f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return Key(text)


# The script prefix of the check running in this context (read once per run: it is a
# thread-local lookup, and a check names tens of thousands of records at scale).
SCRIPT_PREFIX: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "consistency_script_prefix", default=None
)


def _address(name: str, *args: Any) -> str:
    """A page's address, or '' when that page does not exist (an app may not be installed)."""
    if len(args) > 1:
        try:
            return reverse(name, args=list(args))
        except NoReverseMatch:
            return ""
    kind = "" if not args else ("uuid" if isinstance(args[0], uuid.UUID | Key) else "str")
    found = _pattern(SCRIPT_PREFIX.get() or get_script_prefix(), name, kind)
    if found is None:
        return ""
    address, stand_in = found
    return address.replace(stand_in, str(args[0]), 1) if stand_in else address


# Addresses are worked out only when shown: counting findings (readiness, the dashboard, the
# final checks) never needs them.
url = lazy(_address, str)


def ref(label: str, name: str = "", *args: Any) -> RecordRef:
    return RecordRef(label, url(name, *args) if name else "")
