"""ISO/IEC 27001 reuse: import the organisation's 27001 SoA (CSV/xlsx in the common column layout,
or an OSCAL profile such as our own profile export) as its ISMS baseline, and show for each
ISO/IEC 42001 control the ISMS controls that already cover part of it.

Common layout: one row per Annex A control with the columns `Control` (5.1 or A.5.1), `Title`
(ignored), `Applicable` (yes/no), `Status` (implemented, partial, planned, not started), and
optionally `Justification` and `Evidence`. Column names are matched without case or spacing, and
a few usual variants are accepted (`Control ID`, `Implementation status`, ...). A bad row stops the
import with its row number; nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aimwell.core.audit import diff, pending_for, record_events, snapshot
from aimwell.core.limits import nul_paths
from aimwell.core.table_import import ImportFailed, read_table
from aimwell.interchange.models import IsmsControl

ISO27001 = "iso27001:2022"
ISO42001 = "iso42001:2023"
STATUSES = ("implemented", "partial", "planned", "not_started")
_COLUMNS = {
    "control": "control",
    "controlid": "control",
    "annexacontrol": "control",
    "reference": "control",
    "ref": "control",
    "title": "title",
    "controltitle": "title",
    "name": "title",
    "applicable": "applicable",
    "applicability": "applicable",
    "status": "status",
    "implementationstatus": "status",
    "justification": "justification",
    "reason": "justification",
    "justificationforinclusionorexclusion": "justification",
    "evidence": "evidence",
    "evidencereferences": "evidence",
}
_YES = {"yes", "y", "true", "1", "applicable", "included"}
_NO = {"no", "n", "false", "0", "not applicable", "notapplicable", "excluded", "n/a"}


class IsmsImportError(ValueError):
    pass


@dataclass
class IsmsImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"ISMS baseline: {self.created} control(s) added, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.skipped:
            text += f"; skipped {', '.join(self.skipped[:10])}"
        return text + "."


@dataclass(frozen=True)
class _Row:
    ref: str
    applicable: bool | None
    status: str
    justification: str
    evidence: str


def _status(value: str, where: str) -> str:
    key = re.sub(r"[\s_-]+", "_", value.strip().lower())
    if not key:
        return "not_started"
    aliases = {"partially_implemented": "partial", "in_progress": "partial", "done": "implemented"}
    key = aliases.get(key, key)
    if key not in STATUSES:
        raise IsmsImportError(f"{where}: status {value!r} is not one of {', '.join(STATUSES)}")
    return key


def _applicable(value: str, where: str) -> bool | None:
    lowered = value.strip().lower()
    if not lowered:
        return None
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise IsmsImportError(f"{where}: applicable {value!r} must be yes or no")


def _table_rows(content: bytes, filename: str) -> list[_Row]:
    try:
        header, rows = read_table(content, filename)
    except ImportFailed as exc:
        raise IsmsImportError(str(exc)) from exc
    names = {h: _COLUMNS.get(re.sub(r"[^a-z]", "", h.lower())) for h in header}
    if "control" not in names.values():
        raise IsmsImportError(
            "row 1: no Control column; expected Control, Applicable, Status, Justification, "
            "Evidence"
        )
    out = []
    for number, raw in rows:
        values = {names[k]: v for k, v in raw.items() if names.get(k)}
        where = f"row {number}"
        ref = values.get("control", "").strip()
        if not ref:
            continue
        out.append(
            _Row(
                ref=ref.removeprefix("A.").removeprefix("a."),
                applicable=_applicable(values.get("applicable", ""), where),
                status=_status(values.get("status", ""), where),
                justification=values.get("justification", ""),
                evidence=values.get("evidence", ""),
            )
        )
    return out


def _profile_rows(content: bytes) -> list[_Row]:
    """An OSCAL profile: included controls are applicable, excluded ones not; our own alters
    (applicability, implementation-status, justification) are read when present."""
    try:
        profile = json.loads(content.decode("utf-8-sig"))["profile"]
        imported = profile["imports"][0]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise IsmsImportError("not an OSCAL profile with an import") from exc
    found = nul_paths(profile)  # PostgreSQL cannot store the character
    if found:
        raise IsmsImportError(f"profile.{found[0]} holds a NUL character (\\x00); remove it")
    decided: dict[str, bool] = {}
    for selection in imported.get("include-controls") or []:
        decided.update(dict.fromkeys(selection.get("with-ids") or [], True))
    for selection in imported.get("exclude-controls") or []:
        decided.update(dict.fromkeys(selection.get("with-ids") or [], False))
    extra: dict[str, dict[str, str]] = {}
    for alter in (profile.get("modify") or {}).get("alters") or []:
        info = extra.setdefault(str(alter.get("control-id")), {})
        for add in alter.get("adds") or []:
            for prop in add.get("props") or []:
                info[str(prop.get("name"))] = str(prop.get("value"))
            for part in add.get("parts") or []:
                if isinstance(part.get("prose"), str):
                    info["justification"] = part["prose"]
    rows = []
    for control_id, applicable in decided.items():
        info = extra.get(control_id, {})
        ref = info.get("control-ref") or control_id.removeprefix("n-")
        rows.append(
            _Row(
                ref=ref.removeprefix("A.").removeprefix("a."),
                applicable=applicable,
                status=_status(info.get("implementation-status", ""), control_id),
                justification=info.get("justification", ""),
                evidence="",
            )
        )
    return rows


@transaction.atomic
def import_isms_soa(
    organisation: Any, content: bytes, filename: str, *, actor: Any
) -> IsmsImportReport:
    """Record the ISO/IEC 27001 SoA as the ISMS baseline; re-importing updates in place."""
    from aimwell.catalog.models import RequirementNode

    if len(content) > 10 * 1024 * 1024:
        raise IsmsImportError("The file is larger than 10 MB.")
    is_json = filename.lower().endswith(".json")
    rows = _profile_rows(content) if is_json else _table_rows(content, filename)
    if not rows:
        raise IsmsImportError("The file lists no control.")
    nodes = {
        n.ref_id: n
        for n in RequirementNode.objects.filter(
            framework__urn=ISO27001, framework__organisation__isnull=True, kind="control"
        )
    }
    existing = {c.node_id: c for c in IsmsControl.objects.filter(organisation=organisation)}
    report = IsmsImportReport()
    events = []
    for row in rows:
        node = nodes.get(row.ref)
        if node is None:
            report.skipped.append(f"{row.ref} (not an ISO/IEC 27001:2022 Annex A control)")
            continue
        values = {
            "applicable": row.applicable,
            "status": row.status,
            "justification": row.justification,
            "evidence": row.evidence,
        }
        control = existing.get(node.pk)
        if control is None:
            control = IsmsControl.objects.create(
                organisation=organisation,
                node=node,
                source="oscal" if is_json else "table",
                **values,
            )
            existing[node.pk] = control
            report.created += 1
            events.append(pending_for(control, action="isms.imported", changes=diff({}, values)))
            continue
        before = snapshot(control, IsmsControl.AUDIT_FIELDS)
        for name, value in values.items():
            setattr(control, name, value)
        changes = diff(before, snapshot(control, IsmsControl.AUDIT_FIELDS))
        if changes:
            control.save()
            report.updated += 1
            events.append(pending_for(control, action="isms.updated", changes=changes))
        else:
            report.unchanged += 1
    if events:
        record_events(organisation_id=organisation.pk, actor=actor, events=events)
    return report


@dataclass(frozen=True)
class SharedEvidence:
    """A live evidence item linked to an ISMS control (to its ISO/IEC 27001 catalog node). Only
    its id and freshness: the gap analysis is read by guests whose audit may not cover evidence,
    so it counts the items and never names them."""

    id: Any
    current: bool


@dataclass(frozen=True)
class Cover:
    ref: str
    title: str
    relationship: str
    applicable: bool | None
    status: str
    evidence: str  # what the imported 27001 SoA says it keeps
    evidence_items: tuple[SharedEvidence, ...] = ()

    @property
    def reusable(self) -> bool:
        """An ISMS control the baseline excludes lends no evidence to the AI control."""
        return self.applicable is not False

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ")

    @property
    def evidence_current(self) -> int:
        return sum(1 for item in self.evidence_items if item.current)

    @property
    def evidence_stale(self) -> int:
        return sum(1 for item in self.evidence_items if not item.current)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "relationship": self.relationship,
            "applicable": self.applicable,
            "status": self.status,
            "evidence": self.evidence,
            "evidence_current": self.evidence_current,
            "evidence_stale": self.evidence_stale,
        }

    def summary(self) -> str:
        """One line for tables and exports: 27001 ref, title, how it relates, status, evidence."""
        decided = {True: "applicable", False: "not applicable", None: "not decided"}
        parts = [self.relationship, decided[self.applicable], self.status_label]
        if self.evidence:
            parts.append(f"evidence: {self.evidence}")
        if self.evidence_items:
            parts.append(
                f"{self.evidence_current} current, {self.evidence_stale} stale evidence item(s)"
            )
        return f"27001 {self.ref} {self.title} ({'; '.join(parts)})"


def coverage(organisation: Any) -> dict[str, list[Cover]]:
    """For each ISO/IEC 42001 node ref, the ISMS controls of the baseline that cover part of it
    through the built-in crosswalk, with the live evidence items linked to each ISMS control
    (three queries, whatever the size)."""
    from django.utils import timezone

    from aimwell.catalog.models import Mapping
    from aimwell.evidence.models import EvidenceItem

    baseline = {c.node_id: c for c in IsmsControl.objects.filter(organisation=organisation)}
    if not baseline:
        return {}
    today = timezone.localdate()
    evidence: dict[Any, list[SharedEvidence]] = {}
    for node_id, item_id, valid_until in (
        EvidenceItem.requirements.through.objects.filter(
            requirementnode_id__in=list(baseline),
            evidenceitem__organisation_id=organisation.pk,
            evidenceitem__is_retired=False,
        )
        .order_by("evidenceitem_id")
        .values_list("requirementnode_id", "evidenceitem_id", "evidenceitem__valid_until")
    ):
        current = valid_until is None or valid_until >= today
        evidence.setdefault(node_id, []).append(SharedEvidence(item_id, current))
    out: dict[str, list[Cover]] = {}
    for mapping in (
        Mapping.objects.filter(
            mapping_set__organisation__isnull=True,
            source__framework__urn=ISO42001,
            target_id__in=list(baseline),
        )
        .select_related("source", "target")
        .order_by("target__position")
    ):
        control = baseline[mapping.target_id]
        out.setdefault(mapping.source.ref_id, []).append(
            Cover(
                ref=mapping.target.ref_id,
                title=mapping.target.title,
                relationship=mapping.relationship,
                applicable=control.applicable,
                status=control.status,
                evidence=control.evidence,
                evidence_items=tuple(evidence.get(mapping.target_id, ())),
            )
        )
    return out
