"""The home page: where the AIMS stands on the path to certification and what to do next.

- the seven stages with their progress, as the readiness computation reports them
  (aimwell.controls.readiness, never recomputed here);
- the one next action: the first open major finding of the pre-audit check (an auditor would
  raise it as a major nonconformity), else the first step of the gap analysis' top gap (ranked
  by impact on certification and ease), linked to the place where it is done;
- the few figures that matter: readiness with its trend, high-risk AI systems, open
  nonconformities, serious incidents whose EU AI Act reporting clock runs.

The pre-audit check and readiness read every register (a fixed number of queries, whatever the
size of the AIMS). Their result is kept for at most five minutes, and only while nothing has been
written: the cache key holds the organisation's audit-trail head, which every write moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from aimwell.accounts.models import Membership
from aimwell.core.kept import state_of
from aimwell.inventory.models import AISystem

DASHBOARD_SECONDS = 300  # how old the home's progress and next action may be, at most

# Where each stage of the path is worked on (the number is the readiness stage's).
STAGE_PLACES = {
    1: "context:scope",
    2: "controls:baseline",
    3: "controls:home",
    4: "competence:training-matrix",
    5: "documents:checklist",
    6: "internal_audit:audits",
    7: "certification:home",
}


@dataclass(frozen=True)
class NextAction:
    text: str
    url: str
    why: str


@dataclass(frozen=True)
class Progress:
    """What the home shows of the whole AIMS, computed together and cached together."""

    score: float
    previous: dict[str, Any] | None  # the last readiness snapshot: {"date", "score"}
    stages: list[dict[str, Any]]
    next_action: NextAction | None
    open_nonconformities: int
    open_findings: int  # major and minor, open


def progress(membership: Membership) -> Progress:
    org_id = membership.organisation_id
    key = f"home:progress:{org_id}:{state_of(org_id)}"
    cached = cache.get(key)
    if cached is None:
        cached = _compute(membership.organisation)
        cache.set(key, cached, DASHBOARD_SECONDS)
    return cached


def _compute(organisation: Any) -> Progress:
    from aimwell.consistency import engine
    from aimwell.controls import readiness

    check = engine.run(organisation, exclude={"readiness-trend-stale"})
    report = readiness.compute(organisation, finding_counts=engine.weighed_counts(check))
    counts = check.counts()
    stages = [
        {
            "number": s.number,
            "title": s.title,
            "percent": s.percent,
            "detail": s.detail,
            "url": reverse(STAGE_PLACES[s.number]) if s.number in STAGE_PLACES else "",
        }
        for s in report.stages
    ]
    return Progress(
        score=report.score,
        previous=report.trend[-1] if report.trend else None,
        stages=stages,
        next_action=_next_action(check, report),
        open_nonconformities=len(report.open_nonconformities),
        open_findings=counts["major"] + counts["minor"],
    )


def _next_action(check: Any, report: Any) -> NextAction | None:
    major = [f for f in check.open_findings() if f.severity.value == "major"]
    if major:
        finding = major[0]
        return NextAction(
            finding.message,
            str(finding.fix_url),
            f"The pre-audit check found it ({finding.rule.clause}); an auditor would raise it "
            "as a major nonconformity.",
        )
    if not report.gaps:
        return None
    item = report.gaps[0]
    step = item.next_steps[0] if item.next_steps else "Close the gap"
    return NextAction(
        f"{item.ref} {item.title}: {step}",
        _place_of(item),
        f"The top gap of the gap analysis: impact {item.impact} on certification, "
        f"{'low' if item.effort == 1 else 'medium' if item.effort == 2 else 'high'} effort.",
    )


def _place_of(item: Any) -> str:
    """Where the item's first open check is worked on."""
    first = next((c for c in item.checks if c.result < 1), None)
    label = first.label if first is not None else ""
    if label == "Documented information published":
        return reverse("documents:checklist")
    if item.kind == "control" and label in ("Implemented", "Has an owner"):
        return reverse("controls:entry", args=[item.ref])
    if label == "Current evidence":
        return reverse("evidence:home")
    return f"{reverse('controls:readiness')}#r-{item.ref}"


def figures(membership: Membership, report: Progress) -> list[dict[str, Any]]:
    """The few figures that matter, each linking to its register."""
    org_id = membership.organisation_id
    today = timezone.localdate()
    high_risk = (
        AISystem.objects.filter(organisation_id=org_id, risk_class="high_risk")
        .exclude(lifecycle_stage="retired")
        .count()
    )
    clocks = _running_clocks(org_id)
    delta = ""
    if report.previous is not None:
        change = round(report.score - report.previous["score"], 1)
        when = dt.date.fromisoformat(report.previous["date"]).strftime("%d %b %Y")
        delta = f"{change:+.1f} since the snapshot of {when}"
    next_deadline = clocks["next"]
    return [
        {
            "label": "Readiness for certification",
            "value": f"{report.score:.1f}",
            "note": delta or "no snapshot yet to compare with",
            "url": reverse("controls:readiness"),
        },
        {
            "label": "High-risk AI systems",
            "value": high_risk,
            "note": "EU AI Act Annex III and Art. 6(1)",
            "url": reverse("inventory:systems") + "?risk_class=high_risk",
        },
        {
            "label": "Open nonconformities",
            "value": report.open_nonconformities,
            "note": f"{report.open_findings} open major or minor pre-audit findings",
            "url": reverse("improvement:ncs"),
        },
        {
            "label": "Serious incidents with a running EU AI Act clock",
            "value": clocks["running"],
            "note": (
                f"next report due {next_deadline:%d %b %Y}"
                + (" (overdue)" if next_deadline < today else "")
                if next_deadline
                else "no report to the authority pending"
            ),
            "url": reverse("incidents:incidents"),
        },
    ]


def _running_clocks(org_id: Any) -> dict[str, Any]:
    from aimwell.incidents.models import Incident

    return Incident.objects.filter(
        organisation_id=org_id,
        is_serious=True,
        report_deadline__isnull=False,
        authority_reported_on__isnull=True,
    ).aggregate(running=Count("id", filter=Q(pk__isnull=False)), next=Min("report_deadline"))
