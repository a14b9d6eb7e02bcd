"""Gap analysis and the certification readiness score, computed from the real state of the AIMS.

The score (0-100) is the sum of five weighted parts, each a share between 0 and 1:

    score = 30 x D + 25 x S + 20 x A + 15 x E + 10 x N

D  mandatory documented information: the share of the ISO/IEC 42001 items that require
   documented information whose document is published and not overdue for review, or whose
   register holds the records themselves (documents.records: audit programme, review results,
   nonconformities, training records...).
S  Statement of Applicability: per control (Annex A and own), an undecided control or an
   exclusion without justification scores 0, a justified exclusion 1, an applicable control by
   its implementation (implemented 1, partial 0.5, planned 0.25, not started 0); a control
   marked not applicable although a treatment selects it scores 0. S is the average.
A  assessments: per AI system in scope, 0.5 when it has at least one open risk and none of its
   risks is overdue for review or flagged *needs review*, and 0.5 when it has an approved impact
   assessment that is neither overdue nor flagged. A is the average (0 with no system in scope).
E  evidence: the share of live evidence items that are current (not past their validity). Each
   item counts once, however many requirements and controls it backs: ISO/IEC 42001 ones, their
   SoA entries, and the ISMS controls that cover part of them (aimwell.interchange.services.isms).
N  nonconformities and known inconsistencies: 1 - 0.2 x open nonconformities - 0.1 x open major
   findings - 0.05 x open minor findings of the pre-audit check, at least 0 (each open
   nonconformity costs 2 points, each major finding 1 point, each minor finding half a point;
   observations, acknowledged findings and the findings that restate parts D and A cost nothing,
   see aimwell.consistency.engine.NOT_IN_READINESS).

Each item of the gap analysis is judged on the distinct evidence items behind it: those linked to
its node or its SoA entry, and, for an Annex A control, those of the ISMS controls of the imported
ISO/IEC 27001 baseline that cover part of it through the crosswalk (reused, not duplicated: one
item linked to all of them is one piece of evidence). The item lists those ISMS controls with
their status and evidence.

This module reads; it never writes. A fixed number of queries whatever the size of the AIMS.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from aimwell.catalog.models import RequirementNode
from aimwell.controls import hooks, soa
from aimwell.controls.models import (
    BaselineEntry,
    ReadinessOverride,
    ReadinessSnapshot,
    ReadinessStatus,
    SoAVersion,
)
from aimwell.evidence.models import EvidenceItem
from aimwell.interchange.services import isms

WEIGHTS: dict[str, int] = {
    "documents": 30,
    "soa": 25,
    "assessments": 20,
    "evidence": 15,
    "nonconformities": 10,
}
NONCONFORMITY_COST = 0.2  # share of N lost per open nonconformity (2 points)
FINDING_COST = {"major": 0.1, "minor": 0.05}  # per open pre-audit finding (1 and 0.5 points)
IMPLEMENTATION_CREDIT = {"implemented": 1.0, "partial": 0.5, "planned": 0.25, "not_started": 0.0}
FORMULA = "score = 30·D + 25·S + 20·A + 15·E + 10·N"
STAGE_TITLES = (
    "Scope",
    "Gap analysis",
    "Develop the AIMS",
    "Engage and train",
    "Implement and document",
    "Internal audit",
    "Certification",
)
EFFORT_LABELS = {1: "low", 2: "medium", 3: "high"}
KIND_LABELS = {
    "requirement": "Clause requirement",
    "control": "Annex A control",
    "own": "Own control",
}


@dataclass
class Component:
    key: str
    label: str
    weight: int
    share: float
    explanation: str

    @property
    def points(self) -> float:
        return round(self.weight * self.share, 2)


@dataclass
class Check:
    label: str
    result: float  # 1 met, 0 not met, in between partly
    effort: int  # 1 low, 2 medium, 3 high: the work to meet it
    hint: str = ""


@dataclass
class Item:
    node: RequirementNode | None
    kind: str  # requirement, control, own
    ref: str
    title: str
    checks: list[Check]
    override: ReadinessOverride | None = None
    baseline: BaselineEntry | None = None
    position: int = 0
    # Distinct live evidence items behind it, by id (True when current), and the ids of those
    # reached only through the ISMS controls that cover part of it.
    evidence: dict[Any, bool] = field(default_factory=dict)
    evidence_from_isms: frozenset[Any] = frozenset()
    isms: list[isms.Cover] = field(default_factory=list)

    @property
    def evidence_current(self) -> int:
        return sum(1 for current in self.evidence.values() if current)

    @property
    def evidence_stale(self) -> int:
        return sum(1 for current in self.evidence.values() if not current)

    @property
    def computed(self) -> str:
        if not self.checks:
            return "gap"
        share = sum(c.result for c in self.checks) / len(self.checks)
        if share >= 1:
            return "ready"
        return "gap" if share == 0 else "partial"

    @property
    def status(self) -> str:
        return self.override.status if self.override is not None else self.computed

    @property
    def status_label(self) -> str:
        return str(ReadinessStatus(self.status).label)

    @property
    def computed_label(self) -> str:
        return str(ReadinessStatus(self.computed).label)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def effort_label(self) -> str:
        return EFFORT_LABELS[self.effort].capitalize()

    @property
    def impact(self) -> int:
        return {"requirement": 3, "control": 2}.get(self.kind, 1)

    @property
    def effort(self) -> int:
        open_checks = [c.effort for c in self.checks if c.result < 1]
        return max(open_checks) if open_checks else 1

    @property
    def priority(self) -> int:
        """Impact on certification (3 clause, 2 Annex A, 1 own) x ease (3 low effort .. 1 high)."""
        return self.impact * (4 - self.effort)

    @property
    def next_steps(self) -> list[str]:
        return [c.hint or c.label for c in self.checks if c.result < 1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "computed": self.computed,
            "override_reason": self.override.reason if self.override else None,
            "baseline_maturity": self.baseline.maturity if self.baseline else None,
            "baseline_practice": self.baseline.practice if self.baseline else None,
            "impact": self.impact,
            "effort": EFFORT_LABELS[self.effort],
            "priority": self.priority,
            "checks": [{"label": c.label, "result": c.result} for c in self.checks],
            "next_steps": self.next_steps,
            "evidence_current": self.evidence_current,
            "evidence_stale": self.evidence_stale,
            "evidence_from_isms": len(self.evidence_from_isms),
            "isms": [c.as_dict() for c in self.isms],
        }


@dataclass
class Stage:
    number: int
    title: str
    percent: float | None
    detail: str


@dataclass
class Report:
    score: float  # rounded to one decimal; `exact` is the unrounded sum
    components: list[Component]
    items: list[Item]
    stages: list[Stage]
    trend: list[dict[str, Any]] = field(default_factory=list)
    open_nonconformities: list[hooks.OpenNonconformity] = field(default_factory=list)
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def exact(self) -> float:
        return sum(c.weight * c.share for c in self.components)

    @property
    def requirements(self) -> list[Item]:
        return [i for i in self.items if i.kind == "requirement"]

    @property
    def controls(self) -> list[Item]:
        return [i for i in self.items if i.kind != "requirement"]

    @property
    def gaps(self) -> list[Item]:
        rank = {"gap": 0, "partial": 1}
        open_items = [i for i in self.items if i.status != "ready"]
        return sorted(open_items, key=lambda i: (-i.priority, rank[i.status], i.position))

    @property
    def counts(self) -> dict[str, int]:
        counts = {"ready": 0, "partial": 0, "gap": 0}
        for item in self.items:
            counts[item.status] += 1
        return counts

    def clause_summary(self) -> list[dict[str, Any]]:
        by_clause: dict[str, dict[str, Any]] = {}
        for item in self.requirements:
            clause = item.ref.split(".")[0]
            row = by_clause.setdefault(
                clause, {"clause": clause, "ready": 0, "partial": 0, "gap": 0, "total": 0}
            )
            row[item.status] += 1
            row["total"] += 1
        for row in by_clause.values():
            row["status"] = (
                "ready"
                if row["ready"] == row["total"]
                else ("gap" if row["gap"] == row["total"] else "partial")
            )
        return list(by_clause.values())

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        return {
            "score": self.score,
            "formula": FORMULA,
            "components": [
                {
                    "key": c.key,
                    "label": c.label,
                    "weight": c.weight,
                    "share": round(c.share, 4),
                    "points": c.points,
                    "explanation": c.explanation,
                }
                for c in self.components
            ],
            "counts": self.counts,
            "clauses": self.clause_summary(),
            "requirements": [i.as_dict() for i in self.requirements],
            "controls": [i.as_dict() for i in self.controls],
            "top_gaps": [i.as_dict() for i in self.gaps[:top]],
            "stages": [
                {"number": s.number, "title": s.title, "percent": s.percent, "detail": s.detail}
                for s in self.stages
            ],
            "open_nonconformities": len(self.open_nonconformities),
            "trend": self.trend,
            "computed_at": self.computed_at,
        }


# Inputs ----------------------------------------------------------------------------------------


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@dataclass
class _Systems:
    """Counts of the AI systems in scope: all of them, those classified, those whose risk
    assessment is current (at least one open risk, none overdue for review or flagged), and
    those with a current approved impact assessment."""

    total: int
    classified: int
    risk_ok: int
    ia_ok: int


def _uuids(values: set[str]) -> list[uuid.UUID]:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(value))
        except ValueError:
            continue
    return out


def _systems(organisation: Any) -> _Systems:
    """One aggregate over the systems in scope, each judged by `EXISTS` on its own risks and
    impact assessments (index on the system), whatever the number of risks."""
    from aimwell.impact_assessments.models import ImpactAssessment
    from aimwell.impact_assessments.review import IMPACT_SUBJECT
    from aimwell.inventory.models import AISystem
    from aimwell.risks import review
    from aimwell.risks.models import Risk

    today = timezone.localdate()
    # By the system alone (it belongs to the organisation): the planner then takes the index on
    # the system rather than one of the organisation's and a scan of its risks per system.
    open_risks = Risk.objects.filter(system_id=OuterRef("pk")).exclude(status="closed")
    late = Q(review_date__lt=today)
    flagged_risks = _uuids(review.flagged_ids(review.RISK_SUBJECT, organisation.pk))
    if flagged_risks:
        late |= Q(pk__in=flagged_risks)
    current_ias = ImpactAssessment.objects.filter(
        Q(next_review_date__isnull=True) | Q(next_review_date__gte=today),
        system_id=OuterRef("pk"),
        status="approved",
    )
    flagged_ias = _uuids(review.flagged_ids(IMPACT_SUBJECT, organisation.pk))
    if flagged_ias:
        current_ias = current_ias.exclude(pk__in=flagged_ias)
    counts = AISystem.objects.filter(organisation_id=organisation.pk, in_scope=True).aggregate(
        total=Count("pk"),
        classified=Count("pk", filter=~Q(risk_class="")),
        risk_ok=Count("pk", filter=Q(Exists(open_risks)) & ~Q(Exists(open_risks.filter(late)))),
        ia_ok=Count("pk", filter=Q(Exists(current_ias))),
    )
    return _Systems(**counts)


def _treatment_share(organisation: Any, threshold: int | None) -> tuple[float, int]:
    """Share of open risks above the acceptance threshold with a treatment and a residual score;
    and the number of overdue treatment actions (two aggregates)."""
    from aimwell.risks.models import Risk, TreatmentAction

    if threshold is None:
        return 0.0, 0
    counts = (
        Risk.objects.filter(organisation_id=organisation.pk, inherent_level__gt=threshold)
        .exclude(status="closed")
        .aggregate(
            # Counted on a column of the index the count reads (every row here has a level), not
            # on the key, which is not in that index.
            above=Count("inherent_level"),
            treated=Count(
                "inherent_level", filter=~Q(treatment_option="") & Q(residual_level__isnull=False)
            ),
        )
    )
    overdue = TreatmentAction.objects.filter(
        organisation_id=organisation.pk,
        status__in=["open", "in_progress"],
        due_date__lt=timezone.localdate(),
    ).count()
    share = _ratio(counts["treated"], counts["above"]) if counts["above"] else 1.0
    return share, overdue


def _scope_approved(organisation: Any) -> bool:
    from django.apps import apps

    try:
        model = apps.get_model("context", "ScopeVersion")
    except LookupError:
        return False
    return bool(model.objects.filter(organisation_id=organisation.pk, status="approved").exists())


def _evidence(organisation: Any) -> tuple[dict[Any, dict[Any, bool]], int, int]:
    """The live evidence items linked to each catalog node (by id, True when current), and the
    number of live items and of stale ones, each item counted once."""
    today = timezone.localdate()
    by_node: dict[Any, dict[Any, bool]] = {}
    through = EvidenceItem.requirements.through
    for node_id, item_id, valid_until in through.objects.filter(
        evidenceitem__organisation_id=organisation.pk, evidenceitem__is_retired=False
    ).values_list("requirementnode_id", "evidenceitem_id", "evidenceitem__valid_until"):
        by_node.setdefault(node_id, {})[item_id] = valid_until is None or valid_until >= today
    counts = EvidenceItem.objects.filter(
        organisation_id=organisation.pk, is_retired=False
    ).aggregate(total=Count("pk"), stale=Count("pk", filter=Q(valid_until__lt=today)))
    return by_node, counts["total"], counts["stale"]


def _evidence_check(evidence: dict[Any, bool]) -> Check:
    current = sum(1 for is_current in evidence.values() if is_current)
    stale = len(evidence) - current
    if current:
        return Check("Current evidence", 1.0, 1)
    if stale:
        return Check("Current evidence", 0.0, 1, f"Renew {stale} stale piece(s) of evidence")
    return Check("Current evidence", 0.0, 1, "Link evidence that shows it in practice")


def _with_isms(row: soa.SoARow, covers: list[isms.Cover]) -> tuple[dict[Any, bool], frozenset[Any]]:
    """The control's own evidence and the evidence of the ISMS controls covering part of it, each
    item once."""
    evidence = dict(row.evidence)
    reused = set()
    for cover in covers:
        if not cover.reusable:
            continue
        for shared in cover.evidence_items:
            if shared.id not in evidence:
                evidence[shared.id] = shared.current
                reused.add(shared.id)
    return evidence, frozenset(reused)


DOC_CREDIT = {"published": 1.0, "held": 1.0, "approved": 0.5, "in_review": 0.5, "draft": 0.25}


def compute(
    organisation: Any, *, with_trend: bool = True, finding_counts: dict[str, int] | None = None
) -> Report:
    """The score and gap analysis now. `finding_counts` (open major and minor findings of the
    pre-audit check) may be passed by a caller that has just run the check."""
    from aimwell.documents.querysets import checklist
    from aimwell.risks.models import RiskMethod

    requirement_nodes = list(
        RequirementNode.objects.filter(
            framework__urn=soa.ISO,
            framework__organisation__isnull=True,
            kind="requirement",
            is_retired=False,
        ).order_by("position")
    )
    doc_rows = checklist(organisation)
    doc_state = {row.node.pk: row.state for row in doc_rows}
    rows = soa.decision_rows(organisation)
    systems = _systems(organisation)
    method = RiskMethod.objects.filter(organisation_id=organisation.pk, is_current=True).first()
    treated_share, overdue_actions = _treatment_share(
        organisation, method.acceptance_threshold if method else None
    )
    soa_approved = SoAVersion.objects.filter(
        organisation_id=organisation.pk, status="approved"
    ).exists()
    evidence_by_node, evidence_total, evidence_stale = _evidence(organisation)
    covers = isms.coverage(organisation)
    ncs = hooks.open_nonconformities(organisation)
    nc_by_urn: dict[str, int] = {}
    for nc in ncs:
        for urn in nc.requirement_urns:
            nc_by_urn[urn] = nc_by_urn.get(urn, 0) + 1
    overrides = {
        o.node_id: o for o in ReadinessOverride.objects.filter(organisation_id=organisation.pk)
    }
    baseline = {b.node_id: b for b in BaselineEntry.objects.filter(organisation_id=organisation.pk)}
    provided = {
        ref: [Check(c.label, c.result, c.effort, c.hint) for c in found]
        for ref, found in hooks.requirement_checks(organisation).items()
    }

    # Components
    published = sum(1 for row in doc_rows if row.state in ("published", "held"))
    documents = Component(
        "documents",
        "Mandatory documented information",
        WEIGHTS["documents"],
        _ratio(published, len(doc_rows)),
        f"{published} of {len(doc_rows)} required documents published and not overdue for review, "
        "or held as records in their register",
    )
    credits = [_soa_credit(row) for row in rows]
    soa_part = Component(
        "soa",
        "Statement of Applicability",
        WEIGHTS["soa"],
        _ratio(sum(credits), len(credits)),
        f"{len(rows)} controls; decided, justified and implemented count, undecided and "
        "unjustified exclusions do not",
    )
    assessed = 0.5 * systems.risk_ok + 0.5 * systems.ia_ok
    assessments = Component(
        "assessments",
        "Risk and impact assessments",
        WEIGHTS["assessments"],
        _ratio(assessed, systems.total),
        f"{systems.risk_ok} of {systems.total} AI systems in scope with current risk "
        f"assessments, {systems.ia_ok} with a current approved impact assessment",
    )
    evidence = Component(
        "evidence",
        "Evidence freshness",
        WEIGHTS["evidence"],
        _ratio(evidence_total - evidence_stale, evidence_total),
        f"{evidence_total - evidence_stale} of {evidence_total} pieces of evidence current, each "
        "counted once however many requirements, controls and ISMS controls it backs",
    )
    findings = finding_counts if finding_counts is not None else _finding_counts(organisation)
    nonconformities = Component(
        "nonconformities",
        "Open nonconformities and known inconsistencies",
        WEIGHTS["nonconformities"],
        max(
            0.0,
            1
            - NONCONFORMITY_COST * len(ncs)
            - FINDING_COST["major"] * findings["major"]
            - FINDING_COST["minor"] * findings["minor"],
        ),
        f"{len(ncs)} open nonconformities, 2 points each; {findings['major']} major and "
        f"{findings['minor']} minor open findings of the pre-audit check, 1 and 0.5 points each",
    )
    components = [documents, soa_part, assessments, evidence, nonconformities]
    score = round(sum(c.weight * c.share for c in components), 1)

    # Items
    coverage_risk = _ratio(systems.risk_ok, systems.total)
    coverage_ia = _ratio(systems.ia_ok, systems.total)
    specific: dict[str, list[Check]] = {
        "6.1.1": [Check("Risk method published", 1.0 if method else 0.0, 1,
                        "Publish a risk method")],
        "6.1.2": [Check("Risks assessed for every AI system in scope", coverage_risk, 2,
                        "Assess the risks of every AI system in scope, and keep them current")],
        "8.2": [Check("Risk assessments current", coverage_risk, 2,
                      "Reassess overdue or flagged risks")],
        "6.1.3": [
            Check("Risks above the threshold treated", treated_share if method else 0.0, 2,
                  "Treat and score the residual of every risk above the threshold"),
            Check("Statement of Applicability approved", 1.0 if soa_approved else 0.0, 1,
                  "Snapshot the SoA and have top management approve it"),
        ],
        "8.3": [Check("Treatment actions on time", 1.0 if overdue_actions == 0 else 0.0, 2,
                      f"Complete {overdue_actions} overdue treatment action(s)")],
        "6.1.4": [Check("Impact assessed for every AI system in scope", coverage_ia, 2,
                        "Approve an impact assessment for every AI system in scope")],
        "8.4": [Check("Impact assessments current", coverage_ia, 2,
                      "Reassess overdue or flagged impact assessments")],
    }  # fmt: skip
    items: list[Item] = []
    for node in requirement_nodes:
        checks: list[Check] = []
        if node.documented_information:
            state = doc_state.get(node.pk, "missing")
            checks.append(
                Check(
                    "Documented information published",
                    DOC_CREDIT.get(state, 0.0),
                    2,
                    "Write, approve and publish the document"
                    if state == "missing"
                    else f"Document is {state.replace('_', ' ')}: take it to published",
                )
            )
        checks.extend(specific.get(node.ref_id, []))
        checks.extend(provided.get(node.ref_id, []))
        own = evidence_by_node.get(node.pk, {})
        checks.append(_evidence_check(own))
        _nc_check(checks, nc_by_urn.get(node.urn, 0))
        items.append(
            Item(node, "requirement", node.ref_id, node.title, checks,
                 overrides.get(node.pk), baseline.get(node.pk), node.position,
                 evidence=dict(own), isms=covers.get(node.ref_id, []))
        )  # fmt: skip
    for row in rows:
        if not row.applicable:
            continue
        checks = [
            Check(
                "Implemented",
                IMPLEMENTATION_CREDIT[row.status],
                3,
                f"Implementation is {row.status_label.lower()}: complete it",
            ),
            Check("Has an owner", 1.0 if row.owner else 0.0, 1, "Name an owner"),
            *provided.get(row.ref, []),
        ]
        row_covers = covers.get(row.ref, []) if row.node is not None else []
        behind, reused = _with_isms(row, row_covers)
        checks.append(_evidence_check(behind))
        _nc_check(checks, nc_by_urn.get(row.urn, 0))
        node = row.node
        items.append(
            Item(
                node,
                "control" if node is not None else "own",
                row.ref,
                row.title,
                checks,
                overrides.get(node.pk) if node is not None else None,
                baseline.get(node.pk) if node is not None else None,
                node.position if node is not None else 100000,
                evidence=behind,
                evidence_from_isms=reused,
                isms=row_covers,
            )
        )

    stages = _stages(
        organisation,
        systems,
        baseline_count=len(baseline),
        baseline_total=len(requirement_nodes) + sum(1 for r in rows if r.node is not None),
        method=method is not None,
        policy=doc_state.get(_policy_node_id(requirement_nodes)) == "published",
        soa_approved=soa_approved,
        documents_share=documents.share,
        implemented_share=_implemented_share(rows),
    )
    trend = _trend(organisation) if with_trend else []
    return Report(score, components, items, stages, trend, ncs)


def current(organisation: Any) -> Report:
    """The report as `compute` gives it, kept per organisation until its next write (every
    write is audited and moves the audit chain's head: aimwell.core.kept). One primary-key read
    when the report is kept; its `computed_at` says when it was computed."""
    from aimwell.core.kept import kept

    return kept(organisation.pk, "readiness", lambda: compute(organisation))


def _finding_counts(organisation: Any) -> dict[str, int]:
    """Open major and minor findings of the pre-audit check (none when that app is absent)."""
    from django.apps import apps

    if not apps.is_installed("aimwell.consistency"):
        return {"major": 0, "minor": 0}
    from aimwell.consistency.engine import readiness_counts

    return readiness_counts(organisation)


def _nc_check(checks: list[Check], count: int) -> None:
    if count:
        checks.append(
            Check("No open nonconformity", 0.0, 2, f"Close {count} open nonconformity(ies)")
        )


def _soa_credit(row: soa.SoARow) -> float:
    if row.decided is False:
        if row.selected_count or not row.free_justification.strip():
            return 0.0
        return 1.0
    if row.applicable is None:
        return 0.0
    return IMPLEMENTATION_CREDIT[row.status]


def _implemented_share(rows: list[soa.SoARow]) -> float:
    applicable = [r for r in rows if r.applicable]
    return _ratio(sum(IMPLEMENTATION_CREDIT[r.status] for r in applicable), len(applicable))


def _policy_node_id(nodes: list[RequirementNode]) -> Any:
    return next((n.pk for n in nodes if n.ref_id == "5.2"), None)


def _stages(organisation: Any, systems: _Systems, **facts: Any) -> list[Stage]:
    scope_parts = [
        1.0 if systems.total else 0.0,
        _ratio(systems.classified, systems.total),
        1.0 if _scope_approved(organisation) else 0.0,
    ]
    computed: dict[int, tuple[float, str]] = {
        1: (
            100 * sum(scope_parts) / 3,
            f"{systems.total} AI systems in scope, {systems.classified} classified; AIMS scope "
            + ("approved" if scope_parts[2] else "not yet approved"),
        ),
        2: (
            100 * _ratio(facts["baseline_count"], facts["baseline_total"]),
            f"baseline recorded for {facts['baseline_count']} of {facts['baseline_total']} "
            "requirements and controls",
        ),
        3: (
            100
            * (
                facts["method"]
                + facts["policy"]
                + facts["soa_approved"]
                + _ratio(systems.risk_ok, systems.total)
            )
            / 4,
            "risk method, published AI policy, approved SoA, risks assessed per system",
        ),
        5: (
            100 * (facts["documents_share"] + facts["implemented_share"]) / 2,
            "mandatory documents published and applicable controls implemented",
        ),
    }
    stages = []
    for number, title in enumerate(STAGE_TITLES, start=1):
        provided = hooks.stage_progress(number, organisation)
        if provided is not None:
            stages.append(Stage(number, title, round(provided.percent, 1), provided.detail))
        elif number in computed:
            percent, detail = computed[number]
            stages.append(Stage(number, title, round(percent, 1), detail))
        else:
            stages.append(Stage(number, title, None, "not tracked in Aimwell yet"))
    return stages


def _trend(organisation: Any) -> list[dict[str, Any]]:
    snaps = ReadinessSnapshot.objects.filter(organisation_id=organisation.pk).order_by(
        "-created_at"
    )[:12]
    return [
        {"date": s.created_at.date().isoformat(), "score": s.score} for s in reversed(list(snaps))
    ]


def since(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)
