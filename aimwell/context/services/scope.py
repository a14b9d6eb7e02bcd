"""The AIMS scope statement (4.3): drafted from live data, edited by a manager, approved by an
admin or AIMS manager into an immutable version. A new draft starts from the latest version."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from aimwell.accounts.models import Membership, Organisation
from aimwell.accounts.roles import Capability, can
from aimwell.context.choices import IssueKind, ScopeStatus
from aimwell.context.errors import ContextError
from aimwell.context.models import (
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    OrganisationAIRole,
    ScopeVersion,
)
from aimwell.core.audit import diff, record_for
from aimwell.inventory.choices import AIRole, LifecycleStage
from aimwell.inventory.models import AISystem, Supplier

MAX_SCOPE_TEXT = 50_000
SCOPE_TEMPLATE = "aims-scope"  # the key of the scope statement's document template


def _label(choices: Any, value: str, empty: str = "not set") -> str:
    try:
        return str(choices(value).label) if value else empty
    except ValueError:
        return value


def _places(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        # Split on commas and semicolons outside brackets: "EU (Germany, Netherlands)" is one.
        for part in re.split(r"[,;](?![^(]*\))", value or ""):
            part = part.strip()
            if part and part.lower() not in seen:
                seen[part.lower()] = part
    return sorted(seen.values(), key=str.lower)


def scope_facts(organisation: Organisation) -> dict[str, Any]:
    """What the registers say now, in a fixed number of queries."""
    systems = list(
        AISystem.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("suppliers", queryset=Supplier.objects.order_by("name")))
        .order_by("name")
    )
    in_scope = [s for s in systems if s.in_scope]
    suppliers: dict[str, dict[str, Any]] = {}
    for system in in_scope:
        for supplier in system.suppliers.all():
            entry = suppliers.setdefault(
                str(supplier.pk),
                {"name": supplier.name, "provides": supplier.provides, "systems": []},
            )
            entry["systems"].append(system.name)
    issues = ContextIssue.objects.filter(organisation=organisation, is_active=True)
    return {
        "organisation": organisation.name,
        "systems": [
            {
                "id": str(s.pk),
                "name": s.name,
                "eu_role": s.eu_role,
                "eu_roles": list(s.eu_roles),
                "eu_role_label": s.get_eu_role_display() or "not set",
                "business_unit": s.business_unit,
                "geography": s.geography,
                "lifecycle_stage": _label(LifecycleStage, s.lifecycle_stage),
            }
            for s in in_scope
        ],
        "exclusions": [
            {"id": str(s.pk), "name": s.name, "reason": s.scope_reason}
            for s in systems
            if not s.in_scope
        ],
        "ai_roles": [
            {"role": r.role, "label": _label(AIRole, r.role), "note": r.note}
            for r in sorted(
                OrganisationAIRole.objects.filter(organisation=organisation),
                key=lambda r: AIRole.values.index(r.role) if r.role in AIRole.values else 99,
            )
        ],
        "business_units": sorted({s.business_unit for s in in_scope if s.business_unit}),
        "geographies": _places([s.geography for s in in_scope]),
        "suppliers": sorted(suppliers.values(), key=lambda e: e["name"].lower()),
        "external_issues": issues.filter(kind=IssueKind.EXTERNAL).count(),
        "internal_issues": issues.filter(kind=IssueKind.INTERNAL).count(),
        "party_requirements": list(
            InterestedParty.objects.filter(organisation=organisation, is_requirement=True)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        "legal_requirements": list(
            LegalRequirement.objects.filter(organisation=organisation, is_active=True)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    }


def _cell(value: str) -> str:
    return (value or "-").replace("|", "/").replace("\n", " ")


def draft_text(facts: dict[str, Any], *, today: str | None = None) -> str:
    """The scope statement as Markdown, from `scope_facts`."""
    today = today or timezone.localdate().isoformat()
    org = facts["organisation"]
    lines = [
        f"# Scope of the AI management system of {org}",
        "",
        "## Purpose",
        "",
        f"This statement sets the boundaries and applicability of the AI management system (AIMS) "
        f"of {org}, as required by ISO/IEC 42001:2023 clause 4.3. It was drafted on {today} from "
        "the AI systems register and the context registers, and edited by the AIMS manager.",
        "",
        "## The organisation's roles for AI",
        "",
    ]
    if facts["ai_roles"]:
        for role in facts["ai_roles"]:
            note = f": {role['note']}" if role["note"] else ""
            lines.append(f"- **{role['label']}**{note}")
    else:
        lines.append("- No AI role recorded yet (record them under Context: AI roles).")
    lines += ["", "## AI systems in scope", ""]
    if facts["systems"]:
        lines += [
            "| AI system | EU AI Act role | Business unit | Geography | Life-cycle stage |",
            "|---|---|---|---|---|",
        ]
        for s in facts["systems"]:
            lines.append(
                f"| {_cell(s['name'])} | {_cell(s['eu_role_label'])} | {_cell(s['business_unit'])}"
                f" | {_cell(s['geography'])} | {_cell(s['lifecycle_stage'])} |"
            )
    else:
        lines.append("No AI system is recorded as in scope yet.")
    units = ", ".join(facts["business_units"]) or "none recorded"
    places = ", ".join(facts["geographies"]) or "none recorded"
    lines += [
        "",
        "## Organisational units and locations",
        "",
        f"- Business units: {units}",
        f"- Geographies: {places}",
        "",
        "## Interfaces and dependencies",
        "",
    ]
    if facts["suppliers"]:
        for sup in facts["suppliers"]:
            provides = f" ({sup['provides']})" if sup["provides"] else ""
            lines.append(f"- {sup['name']}{provides}, used by {', '.join(sup['systems'])}")
    else:
        lines.append("- No external supplier of in-scope AI systems is recorded.")
    parties = ", ".join(facts["party_requirements"]) or "none recorded"
    legal = ", ".join(facts["legal_requirements"]) or "none recorded"
    lines += [
        "",
        "## Issues and requirements considered (4.1, 4.2)",
        "",
        f"- {facts['external_issues']} external and {facts['internal_issues']} internal issues "
        "in the context register.",
        f"- Requirements of interested parties: {parties}.",
        f"- Legal, regulatory and contractual requirements: {legal}.",
        "",
        "## Exclusions",
        "",
    ]
    if facts["exclusions"]:
        for ex in facts["exclusions"]:
            reason = ex["reason"] or "no reason recorded yet"
            lines.append(f"- **{ex['name']}**: {reason}")
    else:
        lines.append("- None: every AI system in the register is in scope.")
    return "\n".join(lines) + "\n"


def _roles_of(system: dict[str, Any]) -> list[str]:
    """The roles in a facts snapshot (snapshots drafted before systems had several roles hold
    only `eu_role`)."""
    if "eu_roles" in system:
        return list(system["eu_roles"])
    return [system["eu_role"]] if system.get("eu_role") else []


def facts_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed in the live data since a version was drafted, in words."""
    changes: list[str] = []
    old_in = {s["id"]: s for s in old.get("systems", [])}
    new_in = {s["id"]: s for s in new.get("systems", [])}
    for sid, s in new_in.items():
        if sid not in old_in:
            changes.append(f"{s['name']} is now in scope.")
        elif _roles_of(old_in[sid]) != _roles_of(s):
            changes.append(f"{s['name']}: EU AI Act role is now {s['eu_role_label']}.")
    for sid, s in old_in.items():
        if sid not in new_in:
            changes.append(f"{s['name']} is no longer in scope.")
    old_roles = {r["role"] for r in old.get("ai_roles", [])}
    new_roles = {r["role"] for r in new.get("ai_roles", [])}
    for role in sorted(new_roles - old_roles):
        changes.append(f"New AI role: {_label(AIRole, role)}.")
    for role in sorted(old_roles - new_roles):
        changes.append(f"AI role removed: {_label(AIRole, role)}.")
    for key, label in (
        ("business_units", "Business units"),
        ("geographies", "Geographies"),
        ("legal_requirements", "Legal requirements"),
    ):
        if sorted(old.get(key, [])) != sorted(new.get(key, [])):
            changes.append(f"{label} changed.")
    if old.get("suppliers", []) != new.get("suppliers", []):
        changes.append("Suppliers of in-scope systems changed.")
    return changes


def current_draft(organisation: Organisation) -> ScopeVersion | None:
    return ScopeVersion.objects.filter(organisation=organisation, status=ScopeStatus.DRAFT).first()


def latest_approved(organisation: Organisation) -> ScopeVersion | None:
    return (
        ScopeVersion.objects.filter(organisation=organisation, status=ScopeStatus.APPROVED)
        .select_related("approved_by")
        .order_by("-number")
        .first()
    )


def _check_text(text: str) -> str:
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise ContextError("Text: the scope statement cannot be empty.", "text")
    if len(text) > MAX_SCOPE_TEXT:
        raise ContextError(f"Text: at most {MAX_SCOPE_TEXT} characters.", "text")
    return text


@transaction.atomic
def start_draft(
    organisation: Organisation, *, actor: Any, from_live_data: bool = False
) -> ScopeVersion:
    """Open the next draft: the latest version's text, or a fresh draft from live data."""
    # Lock the organisation's versions so two managers cannot both open a draft.
    list(ScopeVersion.objects.select_for_update().filter(organisation=organisation))
    draft = current_draft(organisation)
    if draft is not None:
        raise ContextError(f"Draft v{draft.number} is already open; edit or discard it.")
    latest = latest_approved(organisation)
    facts = scope_facts(organisation)
    text = draft_text(facts) if from_live_data or latest is None else latest.text
    number = (
        ScopeVersion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    draft = ScopeVersion.objects.create(
        organisation=organisation,
        number=number,
        text=text,
        generated_from=facts,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    source = "live data" if from_live_data or latest is None else f"v{latest.number}"
    record_for(
        draft,
        actor=actor,
        action="scope.draft_started",
        changes={"number": [None, number], "source": [None, source]},
    )
    return draft


def _require_draft(version: ScopeVersion) -> None:
    if version.status != ScopeStatus.DRAFT:
        raise ContextError(f"v{version.number} is approved and cannot change; start a new draft.")


@transaction.atomic
def update_draft(
    draft: ScopeVersion, *, actor: Any, text: str | None = None, change_note: str | None = None
) -> ScopeVersion:
    _require_draft(draft)
    before = {"text": draft.text, "change_note": draft.change_note}
    if text is not None:
        draft.text = _check_text(text)
    if change_note is not None:
        if len(change_note) > 500:
            raise ContextError("Change note: at most 500 characters.", "change_note")
        draft.change_note = change_note
    changes = diff(before, {"text": draft.text, "change_note": draft.change_note})
    if changes:
        draft.save(update_fields=[*changes, "updated_at"])
        record_for(draft, actor=actor, action="scope.draft_updated", changes=changes)
    return draft


@transaction.atomic
def regenerate_draft(draft: ScopeVersion, *, actor: Any) -> ScopeVersion:
    """Replace the draft's text with a fresh one from live data (the edits are replaced)."""
    _require_draft(draft)
    facts = scope_facts(draft.organisation)
    before = draft.text
    draft.text = draft_text(facts)
    draft.generated_from = facts
    draft.save(update_fields=["text", "generated_from", "updated_at"])
    record_for(
        draft, actor=actor, action="scope.draft_regenerated", changes={"text": [before, draft.text]}
    )
    return draft


@transaction.atomic
def approve_draft(draft: ScopeVersion, *, membership: Membership, actor: Any) -> ScopeVersion:
    """Approve the draft into an immutable version (admins and AIMS managers only)."""
    _require_draft(draft)
    if membership.organisation_id != draft.organisation_id or not can(
        membership, Capability.MANAGE_AIMS
    ):
        raise ContextError("Only an admin or an AIMS manager can approve the scope.")
    _check_text(draft.text)
    draft.status = ScopeStatus.APPROVED
    draft.approved_by = membership.user
    draft.approved_at = timezone.now()
    draft.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    record_for(
        draft,
        actor=actor,
        action="scope.approved",
        changes={"status": ["draft", "approved"], "number": [draft.number, draft.number]},
    )
    _update_scope_document(draft, membership=membership, actor=actor)
    return draft


def scope_document(organisation: Organisation) -> Any:
    """The controlled document that holds the scope statement (made from the scope template),
    or None when the organisation has none."""
    from aimwell.documents.models import Document

    return (
        Document.objects.filter(
            organisation=organisation, template_key=SCOPE_TEMPLATE, is_retired=False
        )
        .order_by("reference")
        .first()
    )


def _update_scope_document(version: ScopeVersion, *, membership: Membership, actor: Any) -> None:
    """A new approved scope version becomes the next version of the scope document: published at
    once when the scope's approver may approve that document, else waiting for its approver."""
    from aimwell.documents import services as documents

    document = scope_document(version.organisation)
    if document is None:
        return
    published = document.published_version
    if published is not None and published.body == version.text:
        return  # the document already says exactly this
    documents.version_from_record(
        document,
        body=version.text,
        membership=membership,
        actor=actor,
        change_summary=f"AIMS scope v{version.number} approved",
    )


@transaction.atomic
def discard_draft(draft: ScopeVersion, *, actor: Any) -> None:
    _require_draft(draft)
    record_for(
        draft, actor=actor, action="scope.draft_discarded", changes={"number": [draft.number, None]}
    )
    draft.delete()
