"""The per-system EU AI Act compliance matrix: for every obligation of the system's current
classification, the role it falls on, the ISO/IEC 42001 controls that meet it (through the
crosswalk, with their SoA status), the system's records that meet it (risks, impact
assessments, monitors, datasets, the system card), the evidence, and a status computed from that
state: met when every check holds, open when none does, partly otherwise.

Which records meet which obligation is our reading of the Act (written here, not in the catalog):
an obligation without a record of its own is judged on its controls and evidence. The matrices
of any number of systems take a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from aimwell.classification.models import Classification
from aimwell.classification.services import (
    obligation_roles_of,
    provision_of,
)
from aimwell.inventory.models import AISystem

EU_FRAMEWORK = "eu-ai-act:2024"
ISO_FRAMEWORK = "iso42001:2023"
MET, PARTLY, OPEN = "met", "partly", "open"
STATUS_LABELS = {MET: "Met", PARTLY: "Partly met", OPEN: "Open"}

# Records kinds: what a system's own records show. Each is computed in `_record_facts`.
RECORD_LABELS = {
    "risks": "Risks assessed for the system",
    "impact_assessment": "Approved impact assessment",
    "fria": "Fundamental-rights impact assessment (Art. 27 fields) approved",
    "monitors": "Active monitors",
    "datasets_documented": "Datasets with provenance and quality checks",
    "oversight": "Human oversight mode set",
    "card": "System card drafted",
    "card_published": "System card published",
    "classification": "Current classification with its documented basis",
    "incidents": "Incident register used for the system",
}
# Obligation node (or its article) -> record kinds that meet it.
RECORDS_FOR: dict[str, tuple[str, ...]] = {
    "art-6": ("classification",),
    "art-9": ("risks",),
    "art-10": ("datasets_documented",),
    "art-11": ("card",),
    "annex-iv": ("card",),
    "art-13": ("card",),
    "art-14": ("oversight",),
    "art-15": ("monitors",),
    "art-26": ("oversight", "monitors"),
    "art-27": ("fria",),
    "art-50": ("card_published",),
    "art-72": ("monitors",),
    "art-86": ("card_published",),
}


@dataclass
class ControlCell:
    ref: str
    title: str
    applicable: bool | None
    status: str  # the SoA implementation status, '' when undecided

    @property
    def score(self) -> float:
        if self.applicable is False:
            return 0.0
        return {"implemented": 1.0, "partial": 0.5, "planned": 0.25}.get(self.status, 0.0)


@dataclass
class RecordCell:
    kind: str
    label: str
    count: int
    met: bool


@dataclass
class EvidenceCell:
    id: Any
    title: str
    current: bool


@dataclass
class MatrixRow:
    node_id: str
    provision: str
    title: str
    roles: list[str]
    controls: list[ControlCell] = field(default_factory=list)
    records: list[RecordCell] = field(default_factory=list)
    evidence: list[EvidenceCell] = field(default_factory=list)
    status: str = OPEN
    missing: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class SystemMatrix:
    system: AISystem
    classification: Classification | None
    rows: list[MatrixRow]

    @property
    def summary(self) -> dict[str, int]:
        counts = {MET: 0, PARTLY: 0, OPEN: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


def article_of(node_id: str) -> str:
    """The article or annex a node belongs to: art-50-1 -> art-50, annex-iv-2 -> annex-iv."""
    parts = node_id.split("-")
    return "-".join(parts[:2]) if len(parts) > 2 else node_id


def matrices(
    organisation: Any,
    systems: Sequence[AISystem],
    current: dict[Any, Classification] | None = None,
) -> dict[Any, SystemMatrix]:
    """The compliance matrix of each system (by id), in a fixed number of queries (none beyond
    the classifications when no system has obligations). `current` saves the classification
    query when the caller has loaded the current results (system id -> classification)."""
    from aimwell.catalog.models import Mapping, RequirementNode
    from aimwell.controls.models import SoAEntry
    from aimwell.evidence.models import EvidenceItem

    ids = [s.pk for s in systems]
    if current is None:
        current = {
            c.system_id: c
            for c in Classification.objects.filter(
                system_id__in=ids, is_current=True
            ).select_related("ruleset")
        }
    wanted = {n for c in current.values() for n in c.obligations}
    if not wanted:
        return {s.pk: SystemMatrix(s, current.get(s.pk), []) for s in systems}
    articles = {article_of(n) for n in wanted}
    eu_nodes = {
        n.urn.rsplit(":", 1)[-1]: n
        for n in RequirementNode.objects.filter(
            framework__urn=EU_FRAMEWORK,
            framework__organisation__isnull=True,
            urn__in=[f"{EU_FRAMEWORK}:{n}" for n in wanted | articles],
        )
    }
    controls_of, control_nodes = _mapped_controls(organisation, Mapping, eu_nodes)
    entries = {
        e.node_id: e
        for e in SoAEntry.objects.filter(
            organisation_id=organisation.pk, node_id__in=[n.pk for n in control_nodes.values()]
        )
    }
    evidence_of = _evidence(organisation, EvidenceItem, eu_nodes, control_nodes)
    facts = _record_facts(ids, current)
    out: dict[Any, SystemMatrix] = {}
    for system in systems:
        c = current.get(system.pk)
        rows: list[MatrixRow] = []
        if c is not None:
            tagged = obligation_roles_of(c)
            for node_id in c.obligations:
                rows.append(
                    _row(
                        node_id,
                        tagged.get(node_id, []),
                        eu_nodes,
                        controls_of,
                        control_nodes,
                        entries,
                        evidence_of,
                        facts.get(system.pk, {}),
                    )
                )
        out[system.pk] = SystemMatrix(system, c, rows)
    return out


def system_matrix(system: AISystem) -> SystemMatrix:
    return matrices(system.organisation, [system])[system.pk]


def _mapped_controls(
    organisation: Any, mapping_model: Any, eu_nodes: dict[str, Any]
) -> tuple[dict[str, list[Any]], dict[Any, Any]]:
    """EU node id -> the ISO/IEC 42001 Annex A controls mapped to it (built-in crosswalks and
    the organisation's own), and those nodes by pk. Clauses mapped by the crosswalk are
    management-system requirements, not controls with an SoA status, so they are left out."""
    by_pk = {n.pk: node_id for node_id, n in eu_nodes.items()}
    rows = (
        mapping_model.objects.filter(
            Q(mapping_set__organisation__isnull=True)
            | Q(mapping_set__organisation_id=organisation.pk)
        )
        .filter(
            Q(
                target_id__in=list(by_pk),
                source__framework__urn=ISO_FRAMEWORK,
                source__kind="control",
            )
            | Q(
                source_id__in=list(by_pk),
                target__framework__urn=ISO_FRAMEWORK,
                target__kind="control",
            )
        )
        .select_related("source", "target")
    )
    controls_of: dict[str, list[Any]] = defaultdict(list)
    nodes: dict[Any, Any] = {}
    for m in rows:
        eu, iso = (m.target, m.source) if m.target_id in by_pk else (m.source, m.target)
        if iso.pk not in controls_of[by_pk[eu.pk]]:
            controls_of[by_pk[eu.pk]].append(iso.pk)
        nodes[iso.pk] = iso
    return controls_of, nodes


def _evidence(
    organisation: Any, evidence_model: Any, eu_nodes: dict[str, Any], control_nodes: dict[Any, Any]
) -> dict[Any, list[EvidenceCell]]:
    """Requirement node pk -> the organisation's evidence linked to it (not retired)."""
    today = timezone.localdate()
    through = evidence_model.requirements.through
    rows = through.objects.filter(
        requirementnode_id__in=[n.pk for n in eu_nodes.values()] + list(control_nodes),
        evidenceitem__organisation_id=organisation.pk,
        evidenceitem__is_retired=False,
    ).values_list(
        "requirementnode_id", "evidenceitem_id", "evidenceitem__title", "evidenceitem__valid_until"
    )
    out: dict[Any, list[EvidenceCell]] = defaultdict(list)
    for node_pk, item_id, title, valid_until in rows:
        current = valid_until is None or valid_until >= today
        out[node_pk].append(EvidenceCell(item_id, title, current))
    return out


def _record_facts(ids: list[Any], current: dict[Any, Classification]) -> dict[Any, dict[str, int]]:
    """Per system, the count of each record kind that meets an obligation."""
    from aimwell.impact_assessments.models import ImpactAssessment
    from aimwell.incidents.models import Incident
    from aimwell.monitoring.models import Monitor
    from aimwell.risks.models import Risk
    from aimwell.transparency.models import CardVersion, SystemCard

    facts: dict[Any, dict[str, int]] = {pk: defaultdict(int) for pk in ids}

    def add(kind: str, system_ids: Iterable[Any]) -> None:
        for pk in system_ids:
            if pk in facts:
                facts[pk][kind] += 1

    add("risks", Risk.objects.filter(system_id__in=ids).values_list("system_id", flat=True))
    for system_id, fria_required, fria in ImpactAssessment.objects.filter(
        system_id__in=ids, status="approved"
    ).values_list("system_id", "fria_required", "fria"):
        add("impact_assessment", [system_id])
        if fria_required and _fria_complete(fria):
            add("fria", [system_id])
    add(
        "monitors",
        Monitor.objects.filter(system_id__in=ids, is_active=True).values_list(
            "system_id", flat=True
        ),
    )
    add(
        "card",
        SystemCard.objects.filter(system_id__in=ids).values_list("system_id", flat=True),
    )
    add(
        "card_published",
        CardVersion.objects.filter(card__system_id__in=ids)
        .values_list("card__system_id", flat=True)
        .distinct(),
    )
    add(
        "incidents",
        Incident.objects.filter(systems__in=ids).values_list("systems", flat=True),
    )
    through = AISystem.datasets.through
    for system_id, provenance, checks in through.objects.filter(aisystem_id__in=ids).values_list(
        "aisystem_id", "dataset__provenance", "dataset__quality_checks"
    ):
        add("datasets", [system_id])
        if provenance.strip() and checks.strip():
            add("datasets_documented", [system_id])
    for system_id, mode in AISystem.objects.filter(pk__in=ids).values_list("pk", "oversight_mode"):
        if mode and mode != "none":
            add("oversight", [system_id])
    add("classification", [pk for pk, c in current.items() if c.legal_basis])
    return facts


def _fria_complete(fria: dict[str, Any]) -> bool:
    from aimwell.impact_assessments.choices import FRIA_KEYS

    return all(str(fria.get(key) or "").strip() for key in FRIA_KEYS)


def _row(
    node_id: str,
    roles: list[str],
    eu_nodes: dict[str, Any],
    controls_of: dict[str, list[Any]],
    control_nodes: dict[Any, Any],
    entries: dict[Any, Any],
    evidence_of: dict[Any, list[EvidenceCell]],
    facts: dict[str, int],
) -> MatrixRow:
    article = article_of(node_id)
    node = eu_nodes.get(node_id) or eu_nodes.get(article)
    row = MatrixRow(node_id, provision_of(node_id), node.title if node else node_id, roles)
    control_pks = controls_of.get(node_id) or controls_of.get(article, [])
    for pk in sorted(control_pks, key=lambda p: control_nodes[p].position):
        iso = control_nodes[pk]
        entry = entries.get(pk)
        row.controls.append(
            ControlCell(
                iso.ref_id,
                iso.title,
                entry.applicable if entry else None,
                entry.status if entry and entry.applicable is not False else "",
            )
        )
    kinds = RECORDS_FOR.get(node_id) or RECORDS_FOR.get(article, ())
    for kind in kinds:
        count = facts.get(kind, 0)
        row.records.append(RecordCell(kind, RECORD_LABELS[kind], count, count > 0))
    seen: set[Any] = set()
    for pk in [*(n.pk for n in (eu_nodes.get(node_id), eu_nodes.get(article)) if n), *control_pks]:
        for cell in evidence_of.get(pk, []):
            if cell.id not in seen:
                seen.add(cell.id)
                row.evidence.append(cell)
    row.status, row.missing = _judge(row)
    return row


def _judge(row: MatrixRow) -> tuple[str, list[str]]:
    """Met when every check holds, open when none holds even partly, partly otherwise. The
    checks: the mapped controls implemented (when the crosswalk names any), each record kind,
    and current evidence."""
    scores: list[float] = []
    missing: list[str] = []
    if row.controls:
        score = sum(c.score for c in row.controls) / len(row.controls)
        scores.append(score)
        if score < 1:
            pending = [c.ref for c in row.controls if c.score < 1]
            missing.append(f"controls not implemented: {', '.join(pending)}")
    for record in row.records:
        scores.append(1.0 if record.met else 0.0)
        if not record.met:
            missing.append(record.label.lower())
    has_current = any(e.current for e in row.evidence)
    scores.append(1.0 if has_current else 0.0)
    if not has_current:
        missing.append("current evidence")
    if all(s >= 1 for s in scores):
        return MET, []
    if all(s == 0 for s in scores):
        return OPEN, missing
    return PARTLY, missing


def as_dict(matrix: SystemMatrix) -> dict[str, Any]:
    """The matrix as plain data (API, system card, certification pack)."""
    c = matrix.classification
    return {
        "system_id": matrix.system.pk,
        "system": matrix.system.name,
        "risk_class": c.risk_class if c else None,
        "roles": list(c.operator_roles or [c.operator_role]) if c else [],
        "rules_version": c.ruleset.version if c else None,
        "summary": matrix.summary,
        "rows": [
            {
                "node_id": r.node_id,
                "urn": f"{EU_FRAMEWORK}:{r.node_id}",
                "provision": r.provision,
                "title": r.title,
                "roles": r.roles,
                "status": r.status,
                "missing": r.missing,
                "controls": [
                    {
                        "ref": x.ref,
                        "title": x.title,
                        "applicable": x.applicable,
                        "status": x.status,
                    }
                    for x in r.controls
                ],
                "records": [
                    {"kind": x.kind, "label": x.label, "count": x.count, "met": x.met}
                    for x in r.records
                ],
                "evidence": [
                    {"id": x.id, "title": x.title, "current": x.current} for x in r.evidence
                ],
            }
            for r in matrix.rows
        ],
    }


def applicable_articles(organisation: Any) -> set[str]:
    """The EU AI Act node ids (and their articles) that apply to the organisation: the
    obligations of its in-scope systems' current classifications for the roles it holds, and
    the provisions those classifications rest on (Art. 6 for a high-risk system, Art. 53 for a
    general-purpose model the organisation provides)."""
    rows = Classification.objects.filter(
        organisation_id=organisation.pk, is_current=True, system__in_scope=True
    ).values_list("obligations", "legal_basis")
    out: set[str] = set()
    for obligations, basis in rows:
        for node_id in [*(obligations or []), *(basis or [])]:
            out.update((node_id, article_of(node_id)))
    return out


RECENT_RUNS = 5  # the system page lists this many of its latest monitoring runs


def related_records(system: AISystem) -> dict[str, list[Any]]:
    """The system's records an obligation is met with, to link from its page (one query each)."""
    from aimwell.change_control.models import ChangeRequest
    from aimwell.impact_assessments.models import ImpactAssessment
    from aimwell.incidents.models import Incident
    from aimwell.monitoring.models import Monitor, MonitorRun
    from aimwell.risks.models import Risk

    return {
        "risks": list(
            Risk.objects.filter(system=system).only("id", "reference", "title", "status")
        ),
        "impact_assessments": list(
            ImpactAssessment.objects.filter(system=system).only(
                "id", "reference", "title", "status", "fria_required"
            )
        ),
        "monitors": list(
            Monitor.objects.filter(system=system).only("id", "name", "is_active", "is_failing")
        ),
        "incidents": list(
            Incident.objects.filter(systems=system).only("id", "reference", "title", "severity")
        ),
        "runs": list(
            MonitorRun.objects.filter(system=system)
            .select_related("monitor")
            .only("id", "number", "status", "created_at", "monitor__name")
            .order_by("-created_at")[:RECENT_RUNS]
        ),
        "changes": list(
            ChangeRequest.objects.filter(system=system)
            .only("id", "reference", "title", "status")
            .order_by("-created_at")
        ),
    }
