"""Run the registered rules over one organisation and report the findings, with the ones an AIMS
manager acknowledged marked as such. Reads only; a fixed number of queries per rule whatever the
size of the registers (see benchmarks/consistency.py)."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import get_script_prefix
from django.utils import timezone

from aimwell.consistency.models import Acknowledgement
from aimwell.consistency.registry import (
    RULES,
    SCRIPT_PREFIX,
    Area,
    Context,
    Hit,
    RecordRef,
    Rule,
    Severity,
)

# Rules whose subject the readiness score already weighs in one of its parts; readiness does not
# count their findings a second time (and the readiness rules must not count themselves).
NOT_IN_READINESS = frozenset(
    {
        "mandatory-document-missing",  # part D
        "document-review-overdue",  # part D
        "system-without-risk-assessment",  # part A
        "system-without-impact-assessment",  # part A
        "readiness-snapshot-backdated",
        "readiness-trend-stale",
        # readiness judges A.6.2.5, A.6.2.8 and 6.3 from the same facts (lifecycle.readiness)
        "deployed-without-approval",
        "deployment-approval-reopened",
        "high-risk-without-log-policy",
        "change-review-overdue",
    }
)


RUN_LAST = frozenset({"readiness-trend-stale"})


@dataclass(frozen=True)
class Finding:
    rule: Rule
    hit: Hit
    acknowledgement: Acknowledgement | None = None

    @property
    def key(self) -> str:
        return f"{self.rule.key}:{self.hit.subject}"[:300]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def area(self) -> Area:
        return self.rule.area

    @property
    def message(self) -> str:
        return self.hit.message

    @property
    def records(self) -> tuple[RecordRef, ...]:
        return self.hit.records

    @property
    def fix_url(self) -> str:
        return self.hit.fix_url

    @property
    def is_open(self) -> bool:
        return self.acknowledgement is None

    def as_dict(self) -> dict[str, Any]:
        ack = self.acknowledgement
        return {
            "key": self.key,
            "rule": self.rule.key,
            "title": self.rule.title,
            "clause": self.rule.clause,
            "severity": self.severity.value,
            "area": self.area.value,
            "message": self.message,
            "records": [{"label": r.label, "url": str(r.url)} for r in self.records],
            "fix_url": str(self.fix_url),
            "fix": self.rule.fix,
            "acknowledged": ack is not None,
            "acknowledgement": None
            if ack is None
            else {
                "reason": ack.reason,
                "by": ack.acknowledged_by_label,
                "at": ack.created_at.isoformat(),
            },
        }


@dataclass
class Report:
    organisation: Any
    checked_at: dt.datetime
    rules: list[Rule]
    findings: list[Finding] = field(default_factory=list)

    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]

    def counts(self) -> dict[str, int]:
        """Open findings per severity, and how many are acknowledged."""
        counts = {s.value: 0 for s in Severity}
        for finding in self.open_findings():
            counts[finding.severity.value] += 1
        counts["acknowledged"] = sum(1 for f in self.findings if not f.is_open)
        counts["open"] = len(self.open_findings())
        return counts

    def failing(self, level: Severity) -> list[Finding]:
        """Open findings at or above `level` (acknowledged ones do not fail a check)."""
        return [f for f in self.open_findings() if f.severity.rank >= level.rank]

    def by_clause(self) -> list[tuple[str, list[Finding]]]:
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.rule.clause, []).append(finding)
        return sorted(groups.items(), key=lambda item: _clause_order(item[0]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation.slug,
            "checked_at": self.checked_at.isoformat(),
            "rules_run": len(self.rules),
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
        }


@functools.lru_cache(maxsize=512)
def _clause_order(clause: str) -> tuple[int, list[Any]]:
    """ISO clauses in numeric order (4 … 10, then Annex A), then other frameworks."""
    if not clause.startswith("ISO/IEC 42001 "):
        return (2, [clause])
    first = clause.removeprefix("ISO/IEC 42001 ").split(";")[0].strip()
    annex = first.startswith("A.")
    parts: list[Any] = [int(p) if p.isdigit() else p for p in first.removeprefix("A.").split(".")]
    return (1 if annex else 0, parts)


def run(
    organisation: Any,
    *,
    only: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    today: dt.date | None = None,
) -> Report:
    """Run every registered rule (or `only` those keys, less `exclude`) over the organisation."""
    now = timezone.now()
    ctx = Context(organisation=organisation, today=today or timezone.localdate(), now=now)
    skip = set(exclude)
    keys = list(only) if only is not None else list(RULES)
    unknown = [k for k in keys if k not in RULES]
    if unknown:
        raise KeyError(f"Unknown consistency rule(s): {', '.join(unknown)}")
    rules = [RULES[k] for k in keys if k not in skip]
    acknowledged = {
        a.finding_key: a for a in Acknowledgement.objects.filter(organisation_id=organisation.pk)
    }
    token = SCRIPT_PREFIX.set(get_script_prefix())
    try:
        report = _run(organisation, ctx, rules, acknowledged)
    finally:
        SCRIPT_PREFIX.reset(token)
    return report


def _run(
    organisation: Any, ctx: Context, rules: list[Rule], acknowledged: dict[str, Any]
) -> Report:
    report = Report(organisation=organisation, checked_at=ctx.now, rules=rules)
    # The rules that recompute readiness run last, handed the counts readiness weighs, so the
    # score is not computed by running every rule a second time.
    ordered = [r for r in rules if r.key not in RUN_LAST] + [r for r in rules if r.key in RUN_LAST]
    for rule in ordered:
        if rule.key in RUN_LAST and "readiness_counts" not in ctx.memo:
            ctx.memo["readiness_counts"] = weighed_counts(report)
        for hit in rule.check(ctx):
            key = f"{rule.key}:{hit.subject}"[:300]
            report.findings.append(Finding(rule, hit, acknowledged.get(key)))
    report.findings.sort(
        key=lambda f: (_clause_order(f.rule.clause), -f.severity.rank, f.rule.key, f.message)
    )
    return report


def weighed_counts(report: Report) -> dict[str, int] | None:
    """Open major and minor findings readiness weighs, from a report that ran every rule
    readiness counts (None when some were left out: readiness must then run them)."""
    ran = {r.key for r in report.rules}
    if not (set(RULES) - NOT_IN_READINESS) <= ran:
        return None
    counts = {"major": 0, "minor": 0}
    for finding in report.open_findings():
        if finding.rule.key not in NOT_IN_READINESS and finding.severity.value in counts:
            counts[finding.severity.value] += 1
    return counts


def readiness_counts(organisation: Any) -> dict[str, int]:
    """Open major and minor findings that the readiness score weighs (see NOT_IN_READINESS), as
    a full run would count them, without building them: a rule with a query of the records it
    finds (`Rule.matches`) is counted by the database, less the acknowledged records it still
    finds; the others' hits are counted; observations are not weighed and not run."""
    ctx = Context(organisation=organisation, today=timezone.localdate(), now=timezone.now())
    acknowledged = set(
        Acknowledgement.objects.filter(organisation_id=organisation.pk).values_list(
            "finding_key", flat=True
        )
    )
    counts = {"major": 0, "minor": 0}
    token = SCRIPT_PREFIX.set(get_script_prefix())
    try:
        for rule in RULES.values():
            if rule.key in NOT_IN_READINESS or rule.severity.value not in counts:
                continue
            counts[rule.severity.value] += _open_count(rule, ctx, acknowledged)
    finally:
        SCRIPT_PREFIX.reset(token)
    return counts


def _open_count(rule: Rule, ctx: Context, acknowledged: set[str]) -> int:
    if rule.matches is None:
        return sum(
            1 for hit in rule.check(ctx) if f"{rule.key}:{hit.subject}"[:300] not in acknowledged
        )
    found = rule.matches(ctx)
    prefix = f"{rule.key}:"
    keys = []
    for key in acknowledged:
        if key.startswith(prefix):
            subject = key.removeprefix(prefix)
            try:
                pk = uuid.UUID(subject)
            except ValueError:  # not a record's key: it acknowledges nothing this rule finds
                continue
            if str(pk) == subject:  # a run names records by their dashed key, exactly
                keys.append(pk)
    total: int = found.count()
    if keys:
        total -= found.filter(pk__in=keys).count()
    return total
