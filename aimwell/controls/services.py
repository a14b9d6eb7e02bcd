"""The only writers of the controls app: SoA decisions, own controls, SoA versions and their
approval, the baseline self-assessment, readiness overrides and snapshots."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from aimwell.catalog.models import RequirementNode
from aimwell.controls import readiness, soa
from aimwell.controls.errors import ControlsError
from aimwell.controls.models import (
    BaselineEntry,
    CustomControl,
    ImplementationStatus,
    ReadinessOverride,
    ReadinessSnapshot,
    ReadinessStatus,
    SoAEntry,
    SoAVersion,
)
from aimwell.core.audit import diff, pending_for, record_events, snapshot

UNSET: Any = object()


def _label(actor: Any) -> str:
    return str(getattr(actor, "email", None) or actor or "system")[:200]


def _record(obj: Any, actor: Any, action: str, changes: dict[str, Any] | None) -> None:
    record_events(
        organisation_id=obj.organisation_id,
        actor=actor,
        events=[pending_for(obj, action=action, changes=changes)],
    )


@transaction.atomic
def create_custom_control(
    organisation: Any, *, actor: Any, code: str, title: str, description: str = ""
) -> CustomControl:
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ControlsError("An own control needs a code and a title.")
    if code.upper().startswith("A."):
        raise ControlsError("Codes starting with “A.” are kept for Annex A controls.")
    try:
        with transaction.atomic():
            control = CustomControl.objects.create(
                organisation=organisation, code=code, title=title, description=description
            )
    except IntegrityError as exc:
        raise ControlsError(f"There is already a control with code {code}.") from exc
    _record(
        control, actor, "control.created", diff({}, snapshot(control, CustomControl.AUDIT_FIELDS))
    )
    return control


@transaction.atomic
def decide(
    organisation: Any,
    *,
    actor: Any,
    node: RequirementNode | None = None,
    custom: CustomControl | None = None,
    applicable: Any = UNSET,
    justification: Any = UNSET,
    obligations: Any = UNSET,
    status: Any = UNSET,
    owner: Any = UNSET,
) -> SoAEntry:
    """Record the SoA decision for one control; only the given fields change."""
    if (node is None) == (custom is None):
        raise ControlsError("Name one control: an Annex A control or an own control.")
    if node is not None and node.kind != "control":
        raise ControlsError(f"{node.ref_id} is not a control.")
    if custom is not None and custom.organisation_id != organisation.pk:
        raise ControlsError("That control is not in this organisation.")
    if status is not UNSET and status not in ImplementationStatus.values:
        raise ControlsError(f"Status must be one of {', '.join(ImplementationStatus.values)}.")
    lookup: dict[str, Any] = {"node": node} if node is not None else {"custom": custom}
    entry = SoAEntry.objects.filter(organisation_id=organisation.pk, **lookup).first()
    is_new = entry is None
    if entry is None:
        entry = SoAEntry(organisation=organisation, **lookup)
    before = {} if is_new else snapshot(entry, SoAEntry.AUDIT_FIELDS)
    for name, value in (
        ("applicable", applicable),
        ("justification", justification),
        ("obligations", obligations),
        ("status", status),
        ("owner", owner),
    ):
        if value is not UNSET:
            setattr(
                entry, name, value if value is not None or name in ("applicable", "owner") else ""
            )
    changed = diff(before, snapshot(entry, SoAEntry.AUDIT_FIELDS))
    if changed or is_new:
        entry.save()
        _record(entry, actor, "soa.decided", changed)
    return entry


def _json_rows(rows: list[soa.SoARow]) -> list[dict[str, Any]]:
    return [row.as_dict() for row in rows]


@transaction.atomic
def create_version(organisation: Any, *, actor: Any, note: str = "") -> SoAVersion:
    """Snapshot the SoA as it stands, for approval."""
    latest = SoAVersion.objects.filter(organisation_id=organisation.pk).aggregate(n=Max("number"))
    version = SoAVersion.objects.create(
        organisation=organisation,
        number=(latest["n"] or 0) + 1,
        rows=_json_rows(soa.soa_rows(organisation)),
        note=note[:500],
        created_by_label=_label(actor),
    )
    _record(version, actor, "soa.version_created", {"number": [None, version.number]})
    return version


def approval_refusal(membership: Any, version: SoAVersion) -> str | None:
    if membership is None or not membership.is_top_management:
        return "Only top management can approve the Statement of Applicability."
    return None


@transaction.atomic
def approve_version(
    version: SoAVersion, *, actor: Any, membership: Any, note: str = ""
) -> SoAVersion:
    if version.status == "approved":
        return version
    refusal = approval_refusal(membership, version)
    if refusal:
        raise ControlsError(refusal)
    version.status = "approved"
    version.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    version.approved_by_label = _label(actor)
    version.approved_at = timezone.now()
    if note:
        version.note = (version.note + " " + note).strip()[:500]
    version.save()
    _record(version, actor, "soa.version_approved", {"status": ["draft", "approved"]})
    return version


def version_diff(older: SoAVersion, newer: SoAVersion) -> list[dict[str, Any]]:
    """Per control, the fields that differ between two versions."""
    old = {r["ref"]: r for r in older.rows}
    new = {r["ref"]: r for r in newer.rows}
    changes = []
    for ref in [*new, *[r for r in old if r not in new]]:
        a, b = old.get(ref), new.get(ref)
        if a is None or b is None:
            changes.append(
                {
                    "ref": ref,
                    "title": (a or b or {})["title"],
                    "change": "added" if a is None else "removed",
                    "fields": {},
                }
            )
            continue
        fields = {
            k: [a.get(k), b.get(k)]
            for k in (
                "applicable",
                "status",
                "owner",
                "justification",
                "obligations",
                "selected_by",
            )
            if a.get(k) != b.get(k)
        }
        if fields:
            changes.append({"ref": ref, "title": b["title"], "change": "changed", "fields": fields})
    return changes


def baseline_nodes() -> list[RequirementNode]:
    return list(
        RequirementNode.objects.filter(
            framework__urn=soa.ISO,
            framework__organisation__isnull=True,
            kind__in=["requirement", "control"],
            is_retired=False,
        ).order_by("position")
    )


@transaction.atomic
def record_baseline(
    organisation: Any,
    *,
    actor: Any,
    node: RequirementNode,
    maturity: int,
    practice: str = "",
    notes: str = "",
) -> BaselineEntry:
    if node.kind not in ("requirement", "control") or node.framework.urn != soa.ISO:
        raise ControlsError(f"{node.ref_id} is not an ISO/IEC 42001 requirement or control.")
    if not 0 <= int(maturity) <= 5:
        raise ControlsError("Maturity is a level from 0 (nothing in place) to 5 (optimised).")
    entry = BaselineEntry.objects.filter(organisation_id=organisation.pk, node=node).first()
    before = {} if entry is None else snapshot(entry, BaselineEntry.AUDIT_FIELDS)
    if entry is None:
        entry = BaselineEntry(organisation=organisation, node=node, maturity=int(maturity))
    entry.maturity, entry.practice, entry.notes = int(maturity), practice, notes
    entry.recorded_by_label = _label(actor)
    changed = diff(before, snapshot(entry, BaselineEntry.AUDIT_FIELDS))
    if changed:
        entry.save()
        _record(entry, actor, "baseline.recorded", changed)
    return entry


@transaction.atomic
def set_override(
    organisation: Any, *, actor: Any, node: RequirementNode, status: str | None, reason: str = ""
) -> ReadinessOverride | None:
    """Replace the computed readiness of one item with a judgement; status None removes it."""
    existing = ReadinessOverride.objects.filter(organisation_id=organisation.pk, node=node).first()
    if status is None:
        if existing is not None:
            _record(
                existing, actor, "readiness.override_removed", {"status": [existing.status, None]}
            )
            existing.delete()
        return None
    if status not in ReadinessStatus.values:
        raise ControlsError(f"Status must be one of {', '.join(ReadinessStatus.values)}.")
    if not reason.strip():
        raise ControlsError("Give the reason for overriding the computed status.")
    override = existing or ReadinessOverride(organisation=organisation, node=node)
    before = {"status": existing.status, "reason": existing.reason} if existing else {}
    override.status, override.reason = status, reason.strip()[:500]
    override.decided_by_label = _label(actor)
    override.save()
    _record(
        override,
        actor,
        "readiness.overridden",
        diff(before, {"status": status, "reason": override.reason}),
    )
    return override


@transaction.atomic
def take_snapshot(organisation: Any, *, actor: Any) -> ReadinessSnapshot:
    report = readiness.compute(organisation)
    snap = ReadinessSnapshot.objects.create(
        organisation=organisation,
        score=report.score,
        components={c.key: c.points for c in report.components},
        counts=report.counts,
        taken_by_label=_label(actor),
    )
    _record(snap, actor, "readiness.snapshot", {"score": [None, report.score]})
    return snap
