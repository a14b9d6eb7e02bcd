"""AI system impact assessments (6.1.4, 8.4, A.5), with the EU AI Act Art. 27 fields for a
deployer of a high-risk system, and the step that turns a significant impact into a risk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.accounts.roles import Capability, can
from aimwell.classification.models import Classification
from aimwell.core.audit import diff, snapshot
from aimwell.impact_assessments.choices import (
    FRIA_FIELDS,
    FRIA_KEYS,
    IMPACT_AREA_KEYS,
    IMPACT_AREA_LABELS,
)
from aimwell.impact_assessments.errors import ImpactError
from aimwell.impact_assessments.models import ImpactAssessment
from aimwell.impact_assessments.review import IMPACT_SUBJECT
from aimwell.inventory.models import AISystem
from aimwell.risks import review
from aimwell.risks.models import Risk
from aimwell.risks.services.common import created, label_of, next_reference, record, user_of
from aimwell.risks.services.method import require_method
from aimwell.risks.services.register import create_risk

EDITABLE = (
    "title",
    "intended_use",
    "foreseeable_misuse",
    "affected_individuals",
    "affected_groups",
    "vulnerable_groups",
    "societal_reach",
    "impacts",
    "overall_residual",
    "reassessment_triggers",
    "fria",
    "dpia_required",
    "dpia_reference",
    "owner",
    "next_review_date",
)
REVIEW_DAYS = 365


def fria_required(system: AISystem) -> bool:
    """The system's current classification puts the fundamental-rights impact assessment (EU AI
    Act Art. 27) among the deployer's obligations: a public body or public-service deployer, or
    a deployer for credit scoring or life and health insurance pricing (Annex III 5(b), 5(c)).
    A result decided before obligations were tagged by role counts a high-risk deployer."""
    current = Classification.objects.filter(system=system, is_current=True).first()
    if current is None or current.risk_class != "high_risk":
        return False
    if current.obligation_roles:
        return "deployer" in current.obligation_roles.get("art-27", [])
    return (current.operator_role or system.eu_role) == "deployer"


def _clean_impacts(impacts: Any) -> dict[str, dict[str, Any]]:
    clean: dict[str, dict[str, Any]] = {}
    for key, data in (impacts or {}).items():
        if key not in IMPACT_AREA_KEYS:
            raise ImpactError(f"“{key}” is not an impact area ({', '.join(IMPACT_AREA_KEYS)}).")
        data = dict(data or {})
        row: dict[str, Any] = {
            "description": str(data.get("description") or ""),
            "mitigation": str(data.get("mitigation") or ""),
        }
        for field in ("severity", "likelihood", "residual_severity"):
            raw: Any = data.get(field)
            if raw in (None, ""):
                row[field] = None
                continue
            value = int(raw)
            if not 1 <= value <= 5:
                raise ImpactError(f"{IMPACT_AREA_LABELS[key]}: {field} must be between 1 and 5.")
            row[field] = value
        clean[key] = row
    return clean


def _clean_fria(fria: Any) -> dict[str, str]:
    unknown = set(fria or {}) - set(FRIA_KEYS)
    if unknown:
        raise ImpactError(f"Unknown Art. 27 fields: {', '.join(sorted(unknown))}.")
    return {k: str((fria or {}).get(k) or "") for k in FRIA_KEYS if (fria or {}).get(k)}


@transaction.atomic
def create_assessment(
    organisation: Any, *, actor: Any, system: AISystem, **values: Any
) -> ImpactAssessment:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not impact assessment fields: {sorted(unknown)}")
    if system.organisation_id != organisation.pk:
        raise ImpactError("That AI system is not in this organisation.")
    values["impacts"] = _clean_impacts(values.get("impacts"))
    values["fria"] = _clean_fria(values.get("fria"))
    values.setdefault("title", f"Impact assessment of {system.name}")
    values.setdefault("intended_use", system.intended_use or system.purpose)
    values.setdefault("foreseeable_misuse", system.foreseeable_misuse)
    values.setdefault("affected_individuals", system.affected_persons)
    values.setdefault("vulnerable_groups", system.vulnerable_groups)
    if values.get("next_review_date") is None:
        values["next_review_date"] = timezone.localdate() + dt.timedelta(days=REVIEW_DAYS)
    assessment = ImpactAssessment.objects.create(
        organisation=organisation,
        reference=next_reference(ImpactAssessment, organisation, "IA"),
        system=system,
        fria_required=fria_required(system),
        **values,
    )
    created(assessment, actor, "impact_assessment.created", ImpactAssessment.AUDIT_FIELDS)
    return assessment


@transaction.atomic
def update_assessment(
    assessment: ImpactAssessment, *, actor: Any, **changes: Any
) -> ImpactAssessment:
    """Change the content. An approved assessment whose content changes goes back to draft and
    needs approving again."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not impact assessment fields: {sorted(unknown)}")
    if "impacts" in changes:
        changes["impacts"] = _clean_impacts(changes["impacts"])
    if "fria" in changes:
        changes["fria"] = _clean_fria(changes["fria"])
    before = snapshot(assessment, ImpactAssessment.AUDIT_FIELDS)
    for name, value in changes.items():
        setattr(assessment, name, value)
    assessment.fria_required = fria_required(assessment.system)
    changed = diff(before, snapshot(assessment, ImpactAssessment.AUDIT_FIELDS))
    content_changed = set(changed) - {"owner_id", "next_review_date"}
    if content_changed and assessment.status == "approved":
        assessment.status = "draft"
        changed["status"] = ["approved", "draft"]
    if changed:
        assessment.save()
        record(assessment, actor, "impact_assessment.updated", changed)
    return assessment


def approval_problems(assessment: ImpactAssessment) -> list[str]:
    """What must be completed before approval."""
    problems = []
    rows = assessment.area_rows()
    unrated = [r["label"] for r in rows if r["severity"] is None or r["likelihood"] is None]
    if unrated:
        problems.append(f"Rate severity and likelihood for: {', '.join(unrated)}.")
    if not (assessment.affected_individuals or assessment.affected_groups):
        problems.append("Say who is affected (individuals or groups).")
    if assessment.dpia_required is None:
        problems.append("Decide whether a GDPR data protection impact assessment is needed.")
    if assessment.dpia_required and not assessment.dpia_reference:
        problems.append("Link or reference the DPIA.")
    if assessment.fria_required:
        missing = [label for key, label in FRIA_FIELDS if not assessment.fria.get(key)]
        if missing:
            problems.append(
                "This system is high-risk and deployed by us: complete the fundamental-rights "
                f"impact assessment fields ({'; '.join(missing)})."
            )
    return problems


@transaction.atomic
def approve(
    assessment: ImpactAssessment, *, actor: Any, membership: Any, note: str = ""
) -> ImpactAssessment:
    """Approve the assessment (an AIMS manager or admin). Approval counts as the reassessment
    that closes open *needs review* flags."""
    if not can(membership, Capability.MANAGE_AIMS):
        raise ImpactError("Only an AIMS manager or an admin can approve an impact assessment.")
    assessment.fria_required = fria_required(assessment.system)
    problems = approval_problems(assessment)
    if problems:
        raise ImpactError(" ".join(problems))
    before = snapshot(assessment, ("status", "approved_by_label", "approved_at"))
    assessment.status = "approved"
    assessment.approved_by = user_of(actor)
    assessment.approved_by_label = label_of(actor)
    assessment.approved_at = timezone.now()
    assessment.approval_note = note[:500]
    assessment.assessed_at = timezone.now()
    if assessment.next_review_date is None or assessment.review_overdue:
        assessment.next_review_date = timezone.localdate() + dt.timedelta(days=REVIEW_DAYS)
    assessment.save()
    record(
        assessment,
        actor,
        "impact_assessment.approved",
        diff(before, snapshot(assessment, ("status", "approved_by_label", "approved_at"))),
    )
    review.resolve(
        IMPACT_SUBJECT, assessment.pk, actor=actor, note=note or "Reassessed and approved"
    )
    return assessment


@transaction.atomic
def risk_from_impact(
    assessment: ImpactAssessment, area: str, *, actor: Any, owner: Any = None
) -> Risk:
    """Turn a significant impact into a register risk in one step."""
    if area not in IMPACT_AREA_KEYS:
        raise ImpactError(f"“{area}” is not an impact area.")
    row = next(r for r in assessment.area_rows() if r["key"] == area)
    if not row["significant"]:
        raise ImpactError(f"The {row['label'].lower()} impact is not rated as significant.")
    if Risk.objects.filter(origin_impact=assessment, origin_area=area).exists():
        raise ImpactError(f"A risk was already raised from the {row['label'].lower()} impact.")
    method = require_method(assessment.organisation)
    dimension = "individuals" if "individuals" in method.dimension_keys() else None
    dimension = dimension or method.dimension_keys()[0]
    severity = min(row["severity"], method.consequence_max)
    likelihood = min(row["likelihood"], method.likelihood_max)
    return create_risk(
        assessment.organisation,
        actor=actor,
        title=f"{row['label']} impact of {assessment.system.name}",
        description=row["description"],
        system=assessment.system,
        custom_source=f"Impact assessment {assessment.reference}: {row['label']}",
        likelihood=likelihood,
        consequences={dimension: {"rating": severity, "description": row["description"]}},
        existing_controls=row["mitigation"],
        owner=owner or assessment.owner,
        origin_impact=assessment,
        origin_area=area,
        note=f"Raised from {assessment.reference}",
    )
