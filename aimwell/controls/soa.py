"""The Statement of Applicability as derived rows: every Annex A control and every own control,
the decision recorded for it, and what the rest of the AIMS says about it (the risks whose
treatment selected it, the EU AI Act obligations through the crosswalk that apply to the
organisation's classified systems and roles, evidence), with
inconsistencies flagged. A fixed number of queries whatever the number of risks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from aimwell.catalog.models import Mapping, RequirementNode
from aimwell.classification.matrix import applicable_articles
from aimwell.controls.models import CustomControl, SoAEntry
from aimwell.evidence.models import EvidenceItem, EvidenceLink
from aimwell.inventory.labels import act_references

ISO = "iso42001:2023"
EU_KEY = "eu-ai-act"
# Selecting risks named per control on the SoA page and by the API by default (the rest are
# counted, and listed by the register's control filter), and the most the API names on request.
PAGE_TOP = 5
API_TOP_MAX = 100


@dataclass
class SelectedBy:
    risk_id: Any
    reference: str
    title: str
    rationale: str


@dataclass
class SoARow:
    key: str
    ref: str
    title: str
    group: str
    node: RequirementNode | None
    custom: CustomControl | None
    entry: SoAEntry | None
    # The risks whose treatment selects the control (all of them, or the first few by reference
    # when the rows were built with `top`), and how many there are in all.
    selected_by: list[SelectedBy] = field(default_factory=list)
    selected_count: int = 0
    eu_obligations: list[str] = field(default_factory=list)
    # Live evidence items behind the control (linked to its catalog node or to its SoA entry),
    # by id, True when current: an item linked both ways is one piece of evidence.
    evidence: dict[Any, bool] = field(default_factory=dict)
    inconsistencies: list[str] = field(default_factory=list)

    @property
    def evidence_current(self) -> int:
        return sum(1 for current in self.evidence.values() if current)

    @property
    def evidence_stale(self) -> int:
        return sum(1 for current in self.evidence.values() if not current)

    @property
    def urn(self) -> str:
        return self.node.urn if self.node is not None else f"own:{self.ref}"

    @property
    def decided(self) -> bool | None:
        return self.entry.applicable if self.entry is not None else None

    @property
    def applicable(self) -> bool | None:
        """The decision, or applicable by derivation when a treatment selects it."""
        if self.decided is not None:
            return self.decided
        return True if self.selected_count else None

    @property
    def applicability_label(self) -> str:
        if self.applicable is None:
            return "Not decided"
        label = "Applicable" if self.applicable else "Not applicable"
        return f"{label} (derived)" if self.decided is None else label

    @property
    def status(self) -> str:
        return self.entry.status if self.entry is not None else "not_started"

    @property
    def status_label(self) -> str:
        return self.entry.get_status_display() if self.entry else "Not started"

    @property
    def owner(self) -> Any:
        return self.entry.owner if self.entry is not None else None

    @property
    def free_justification(self) -> str:
        return self.entry.justification if self.entry is not None else ""

    @property
    def obligations(self) -> str:
        return self.entry.obligations if self.entry is not None else ""

    @property
    def derived_justification(self) -> str:
        parts = []
        if self.selected_count:
            named = ", ".join(f"{s.reference} {s.title}" for s in self.selected_by)
            parts.append(f"Selected by the treatment of {named}{self.more_risks_text}")
        if self.eu_obligations:
            parts.append("EU AI Act: " + act_references(self.eu_obligations))
        return "; ".join(parts)

    @property
    def more_risks(self) -> int:
        """How many selecting risks the row does not name."""
        return self.selected_count - len(self.selected_by)

    @property
    def more_risks_text(self) -> str:
        return f" and {self.more_risks} more" if self.more_risks else ""

    @property
    def justification(self) -> str:
        """Everything that justifies the decision: the organisation's words, its legal,
        contractual or business reasons, then the links derived from treatment and obligations."""
        parts = [self.free_justification, self.obligations, self.derived_justification]
        return ". ".join(p.strip().rstrip(".") for p in parts if p.strip())

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "ref": self.ref,
            "title": self.title,
            "applicable": self.applicable,
            "decided": self.decided,
            "status": self.status,
            "owner": getattr(self.owner, "email", None),
            "justification": self.free_justification,
            "obligations": self.obligations,
            "selected_by": [s.reference for s in self.selected_by],
            "eu_obligations": self.eu_obligations,
        }


def _inconsistencies(row: SoARow) -> list[str]:
    found = []
    if row.selected_count and row.decided is False:
        refs = ", ".join(s.reference for s in row.selected_by) + row.more_risks_text
        found.append(f"Marked not applicable, but the treatment of {refs} selects it.")
    if row.decided is False and not row.free_justification.strip():
        found.append("Excluded without a justification.")
    if row.applicable and row.owner is None:
        found.append("Applicable but nobody owns it.")
    if row.applicable and row.status == "implemented" and not row.evidence_current:
        found.append("Implemented, but no current evidence shows it.")
    return found


def annex_a_controls() -> list[RequirementNode]:
    return list(
        RequirementNode.objects.filter(
            framework__urn=ISO,
            framework__organisation__isnull=True,
            kind="control",
            is_retired=False,
        )
        .select_related("parent")
        .order_by("position")
    )


def soa_rows(organisation: Any, top: int | None = None) -> list[SoARow]:
    """Every control's row. With `top`, each row names only its first `top` selecting risks (by
    reference number) and counts the rest: what pages and the API show, since a control can be
    selected by thousands of risks; documents (exports, versions, OSCAL) name them all. With
    `top=0` (`decision_rows`) a row names none and its `selected_count` is 1 when an open risk
    selects the control, else 0."""

    nodes = annex_a_controls()
    customs = list(CustomControl.objects.filter(organisation_id=organisation.pk).order_by("code"))
    entries = list(SoAEntry.objects.filter(organisation_id=organisation.pk).select_related("owner"))
    by_node = {e.node_id: e for e in entries if e.node_id}
    by_custom = {e.custom_id: e for e in entries if e.custom_id}
    rows: list[SoARow] = []
    for node in nodes:
        group = f"{node.parent.ref_id} {node.parent.title}" if node.parent else ""
        rows.append(
            SoARow(str(node.pk), node.ref_id, node.title, group, node, None, by_node.get(node.pk))
        )
    for custom in customs:
        rows.append(
            SoARow(
                str(custom.pk),
                custom.code,
                custom.title,
                "Own controls",
                None,
                custom,
                by_custom.get(custom.pk),
            )
        )
    index = {row.key: row for row in rows}
    if top == 0:
        _mark_selected(organisation, rows)
    else:
        _attach_selections(organisation, index, top)
    node_ids = [n.pk for n in nodes]
    # Only the articles that apply to the organisation's classified systems, for the roles it
    # holds: no GPAI article without a GPAI model, no deployer article without a deployer role.
    applicable = applicable_articles(organisation)
    mappings = Mapping.objects.filter(
        Q(source_id__in=node_ids, target__framework__key=EU_KEY)
        | Q(target_id__in=node_ids, source__framework__key=EU_KEY)
    ).values_list(
        "source_id", "target_id", "source__ref_id", "target__ref_id", "source__urn", "target__urn"
    )
    for source_id, target_id, source_ref, target_ref, source_urn, target_urn in mappings:
        if str(source_id) in index:
            row, ref, urn = index[str(source_id)], target_ref, target_urn
        else:
            row, ref, urn = index[str(target_id)], source_ref, source_urn
        if urn.rsplit(":", 1)[-1] not in applicable:
            continue
        if ref not in row.eu_obligations:
            row.eu_obligations.append(ref)
    today = timezone.localdate()
    through = EvidenceItem.requirements.through
    for node_id, item_id, valid_until in through.objects.filter(
        requirementnode_id__in=node_ids,
        evidenceitem__organisation_id=organisation.pk,
        evidenceitem__is_retired=False,
    ).values_list("requirementnode_id", "evidenceitem_id", "evidenceitem__valid_until"):
        _add_evidence(index.get(str(node_id)), item_id, valid_until, today)
    entry_rows = {str(e.pk): index[str(e.node_id or e.custom_id)] for e in entries}
    for target_id, item_id, valid_until in EvidenceLink.objects.filter(
        organisation_id=organisation.pk,
        target_type="controls.soaentry",
        evidence__is_retired=False,
    ).values_list("target_id", "evidence_id", "evidence__valid_until"):
        _add_evidence(entry_rows.get(str(target_id)), item_id, valid_until, today)
    for row in rows:
        row.eu_obligations.sort(key=_article_order)
        row.inconsistencies = _inconsistencies(row)
    return rows


def decision_rows(organisation: Any) -> list[SoARow]:
    """Every control's row for judging it (readiness): its decision, status, owner, evidence,
    and whether an open risk's treatment selects it (`selected_count` 1 or 0), without naming or
    counting the selecting risks: one existence test per control on an index (organisation,
    control), where counting reads every open selection."""
    return soa_rows(organisation, top=0)


def _mark_selected(organisation: Any, rows: list[SoARow]) -> None:
    from aimwell.risks.models import SelectedControl

    def selected(kind: str) -> set[str]:
        open_selections = SelectedControl.objects.filter(
            organisation_id=organisation.pk, **{kind: OuterRef("pk")}
        ).exclude(risk__status="closed")
        keys = [row.key for row in rows if (row.node if kind == "node_id" else row.custom)]
        if not keys:
            return set()
        model = RequirementNode if kind == "node_id" else CustomControl
        # The test in the SELECT list, not the WHERE clause: PostgreSQL turns a WHERE EXISTS
        # into a join over every open selection, where a test per control stops at the first.
        found = (
            model.objects.filter(pk__in=keys)
            .order_by()
            .annotate(selected=Exists(open_selections))
            .values_list("pk", "selected")
        )
        return {str(pk) for pk, is_selected in found if is_selected}

    chosen = selected("node_id") | selected("custom_id")
    for row in rows:
        row.selected_count = 1 if row.key in chosen else 0


def kept_rows(organisation: Any, top: int = PAGE_TOP) -> list[SoARow]:
    """`soa_rows(organisation, top=top)` kept until the organisation's next write (counting the
    selections of every open risk is the costly part at scale; aimwell.core.kept): what the SoA
    page, the API and readiness show. Documents (exports, versions) read `soa_rows` afresh."""
    from aimwell.core.kept import kept

    return kept(organisation.pk, f"soa-rows-{top}", lambda: soa_rows(organisation, top=top))


def selections(organisation: Any, top: int | None) -> QuerySet[Any]:
    """(node_id, custom_id, risk_id, reference, title, rationale, count) of the open risks whose
    treatment selects a control: all of them, or the first `top` per control with the count of
    all (window functions, so the query returns at most `top` rows per control however many
    risks there are)."""
    from aimwell.risks.models import SelectedControl

    rows = SelectedControl.objects.filter(organisation_id=organisation.pk).exclude(
        risk__status="closed"
    )
    columns = ("node_id", "custom_id", "risk_id", "risk__reference", "risk__title", "rationale")
    order = ("risk__sequence", "risk__reference")
    if top is None:
        return rows.order_by(*order).values_list(*columns, Value(0))
    control = [F("node_id"), F("custom_id")]
    return (
        rows.annotate(
            rank=Window(RowNumber(), partition_by=control, order_by=[F(o) for o in order]),
            total=Window(Count("pk"), partition_by=control),
        )
        .filter(rank__lte=top)
        .order_by(*order)
        .values_list(*columns, "total")
    )


def _attach_selections(organisation: Any, index: dict[str, SoARow], top: int | None) -> None:
    for node_id, custom_id, risk_id, reference, title, rationale, total in selections(
        organisation, top
    ):
        row = index.get(str(node_id or custom_id))
        if row is not None:
            row.selected_by.append(SelectedBy(risk_id, reference, title, rationale))
            row.selected_count = total or len(row.selected_by)


def _add_evidence(row: SoARow | None, item_id: Any, valid_until: Any, today: Any) -> None:
    if row is not None:
        row.evidence[item_id] = valid_until is None or valid_until >= today


def _article_order(ref: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ref if ch.isdigit())
    return (int(digits) if digits else 0, ref)


def summary(rows: list[SoARow]) -> dict[str, int]:
    return {
        "controls": len(rows),
        "applicable": sum(1 for r in rows if r.applicable),
        "excluded": sum(1 for r in rows if r.applicable is False),
        "undecided": sum(1 for r in rows if r.applicable is None),
        "implemented": sum(1 for r in rows if r.applicable and r.status == "implemented"),
        "inconsistencies": sum(len(r.inconsistencies) for r in rows),
    }


def find_control(
    organisation: Any, key: str
) -> tuple[RequirementNode | None, CustomControl | None]:
    """The Annex A control (by id or ref like A.6.2.4) or own control (by id or code)."""
    import uuid

    try:
        pk = uuid.UUID(str(key))
    except ValueError:
        pk = None
    if pk is not None:
        node = RequirementNode.objects.filter(
            pk=pk, kind="control", framework__organisation__isnull=True, framework__urn=ISO
        ).first()
        if node is not None:
            return node, None
        custom = CustomControl.objects.filter(organisation_id=organisation.pk, pk=pk).first()
        if custom is not None:
            return None, custom
        entry = (
            SoAEntry.objects.filter(organisation_id=organisation.pk, pk=pk)
            .select_related("node", "custom")
            .first()
        )
        return (entry.node, entry.custom) if entry is not None else (None, None)
    node = RequirementNode.objects.filter(
        ref_id=key, kind="control", framework__organisation__isnull=True, framework__urn=ISO
    ).first()
    if node is not None:
        return node, None
    return None, CustomControl.objects.filter(organisation_id=organisation.pk, code=key).first()
