"""The risk register (6.1.2, 8.2): identify, describe and (re)assess risks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aimwell.core import references
from aimwell.core.audit import diff, snapshot
from aimwell.risks import review
from aimwell.risks.choices import AssessmentKind, RiskStatus
from aimwell.risks.errors import RiskError
from aimwell.risks.models import Risk, RiskAssessment, RiskMethod
from aimwell.risks.services.common import created, label_of, record
from aimwell.risks.services.method import require_method

DESCRIPTIVE = (
    "title",
    "description",
    "system",
    "risk_source",
    "custom_source",
    "objective",
    "objective_text",
    "causes",
    "existing_controls",
    "owner",
    "review_date",
)
SCORE_FIELDS = ("inherent_likelihood", "inherent_consequence", "inherent_level", "method_id")


def _ratings(method: RiskMethod, consequences: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Clean per-dimension consequences: known dimensions, ratings on the method's scale."""
    clean: dict[str, dict[str, Any]] = {}
    keys = method.dimension_keys()
    for key, value in (consequences or {}).items():
        if key not in keys:
            raise RiskError(f"“{key}” is not a consequence dimension of {method}.")
        value = value if isinstance(value, dict) else {"rating": value}
        raw: Any = value.get("rating")
        if raw in (None, ""):
            continue
        rating = int(raw)
        if not 1 <= rating <= method.consequence_max:
            raise RiskError(
                f"The consequence for {key} must be between 1 and {method.consequence_max}."
            )
        clean[key] = {"rating": rating, "description": str(value.get("description") or "")}
    if not clean:
        raise RiskError("Rate the consequence for at least one dimension.")
    return clean


def _likelihood(method: RiskMethod, likelihood: Any) -> int:
    try:
        value = int(likelihood)
    except (TypeError, ValueError) as exc:
        raise RiskError("Choose a likelihood.") from exc
    if not 1 <= value <= method.likelihood_max:
        raise RiskError(f"The likelihood must be between 1 and {method.likelihood_max}.")
    return value


def score(method: RiskMethod, likelihood: Any, consequences: dict[str, Any]) -> dict[str, Any]:
    """Likelihood, consequence (the worst dimension) and level under a method."""
    value = _likelihood(method, likelihood)
    ratings = _ratings(method, consequences)
    consequence = max(r["rating"] for r in ratings.values())
    return {
        "likelihood": value,
        "consequence": consequence,
        "level": method.level(value, consequence),
        "ratings": ratings,
    }


def _check_links(organisation: Any, values: dict[str, Any]) -> None:
    for name, kind in (("risk_source", "risk_source"), ("objective", "objective")):
        node = values.get(name)
        if node is not None and node.kind != kind:
            raise RiskError(f"{node.ref_id} is not an Annex C {kind.replace('_', ' ')}.")
    system = values.get("system")
    if system is not None and system.organisation_id != organisation.pk:
        raise RiskError("That AI system is not in this organisation.")


@transaction.atomic
def create_risk(
    organisation: Any,
    *,
    actor: Any,
    title: str,
    likelihood: Any,
    consequences: dict[str, Any],
    note: str = "",
    **values: Any,
) -> Risk:
    unknown = set(values) - set(DESCRIPTIVE) - {"origin_impact", "origin_area"}
    if unknown:
        raise TypeError(f"Not risk fields: {sorted(unknown)}")
    method = require_method(organisation)
    if not title.strip():
        raise RiskError("A risk needs a title.")
    if values.get("risk_source") is None and not (values.get("custom_source") or "").strip():
        raise RiskError("Name the risk source: an Annex C source or one of your own.")
    _check_links(organisation, values)
    scored = score(method, likelihood, consequences)
    if values.get("review_date") is None:
        values["review_date"] = timezone.localdate() + dt.timedelta(
            days=method.review_interval_days
        )
    reference, sequence = references.allocate(Risk, organisation.pk, "R", "sequence")
    risk = Risk.objects.create(
        organisation=organisation,
        reference=reference,
        sequence=sequence,
        title=title.strip(),
        method=method,
        consequences=scored["ratings"],
        inherent_likelihood=scored["likelihood"],
        inherent_consequence=scored["consequence"],
        inherent_level=scored["level"],
        **values,
    )
    RiskAssessment.objects.create(
        organisation=organisation,
        risk=risk,
        kind=AssessmentKind.INHERENT,
        method=method,
        likelihood=scored["likelihood"],
        consequence=scored["consequence"],
        level=scored["level"],
        ratings=scored["ratings"],
        note=note[:500] or "First assessment",
        assessed_by_label=label_of(actor),
    )
    created(risk, actor, "risk.created", Risk.AUDIT_FIELDS + SCORE_FIELDS)
    return risk


@transaction.atomic
def update_risk(risk: Risk, *, actor: Any, **changes: Any) -> Risk:
    """Change the description of a risk (not its scores: those change by reassessment)."""
    unknown = set(changes) - set(DESCRIPTIVE)
    if unknown:
        raise TypeError(f"Not descriptive risk fields: {sorted(unknown)}")
    _check_links(risk.organisation, changes)
    merged = {
        "risk_source": changes.get("risk_source", risk.risk_source),
        "custom_source": changes.get("custom_source", risk.custom_source),
    }
    if merged["risk_source"] is None and not (merged["custom_source"] or "").strip():
        raise RiskError("Name the risk source: an Annex C source or one of your own.")
    before = snapshot(risk, Risk.AUDIT_FIELDS)
    for name, value in changes.items():
        setattr(risk, name, value)
    changed = diff(before, snapshot(risk, Risk.AUDIT_FIELDS))
    if changed:
        risk.save()
        record(risk, actor, "risk.updated", changed)
    return risk


@transaction.atomic
def reassess(
    risk: Risk, *, actor: Any, likelihood: Any, consequences: dict[str, Any], note: str = ""
) -> Risk:
    """Score the inherent risk again under the current method; the earlier score stays in the
    history with its method version. Closes the risk's open *needs review* flags."""
    method = require_method(risk.organisation)
    scored = score(method, likelihood, consequences)
    before = snapshot(risk, (*SCORE_FIELDS, "consequences", "review_date"))
    risk.method = method
    risk.inherent_likelihood = scored["likelihood"]
    risk.inherent_consequence = scored["consequence"]
    risk.inherent_level = scored["level"]
    risk.consequences = scored["ratings"]
    risk.assessed_at = timezone.now()
    risk.review_date = timezone.localdate() + dt.timedelta(days=method.review_interval_days)
    risk.save()
    RiskAssessment.objects.create(
        organisation_id=risk.organisation_id,
        risk=risk,
        kind=AssessmentKind.INHERENT,
        method=method,
        likelihood=scored["likelihood"],
        consequence=scored["consequence"],
        level=scored["level"],
        ratings=scored["ratings"],
        note=note[:500],
        assessed_by_label=label_of(actor),
    )
    record(
        risk,
        actor,
        "risk.reassessed",
        diff(before, snapshot(risk, (*SCORE_FIELDS, "consequences", "review_date"))),
    )
    review.resolve(review.RISK_SUBJECT, risk.pk, actor=actor, note=note or "Risk reassessed")
    return risk


@transaction.atomic
def close_risk(risk: Risk, *, actor: Any, note: str) -> Risk:
    if not note.strip():
        raise RiskError("Say why the risk is closed.")
    before = snapshot(risk, ("status",))
    risk.status = RiskStatus.CLOSED
    risk.save(update_fields=["status", "updated_at"])
    record(risk, actor, "risk.closed", {**diff(before, {"status": "closed"}), "note": [None, note]})
    return risk
