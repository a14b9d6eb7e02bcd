"""Risk treatment (6.1.3, 8.3): the option, actions, selected controls, the residual score and
the acceptance of residual risk by a member with the authority to accept it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aimwell.core.audit import diff, snapshot
from aimwell.risks import review
from aimwell.risks.choices import ActionStatus, AssessmentKind, RiskStatus, TreatmentOption
from aimwell.risks.errors import RiskError
from aimwell.risks.models import Risk, RiskAssessment, SelectedControl, TreatmentAction
from aimwell.risks.services.common import created, label_of, record, user_of
from aimwell.risks.services.register import score

ACCEPTANCE_FIELDS = ("status", "accepted_by_label", "accepted_at", "accepted_level")


def _clear_acceptance(risk: Risk) -> None:
    risk.accepted_by = None
    risk.accepted_by_label = ""
    risk.accepted_at = None
    risk.accepted_level = None
    risk.acceptance_note = ""


@transaction.atomic
def set_treatment(risk: Risk, *, actor: Any, option: str, plan: str = "") -> Risk:
    if option not in TreatmentOption.values:
        raise RiskError(f"Choose a treatment option: {', '.join(TreatmentOption.values)}.")
    before = snapshot(risk, ("treatment_option", "treatment_plan", "status"))
    risk.treatment_option = option
    risk.treatment_plan = plan
    if risk.status == RiskStatus.IDENTIFIED:
        risk.status = RiskStatus.IN_TREATMENT
    changed = diff(before, snapshot(risk, ("treatment_option", "treatment_plan", "status")))
    if changed:
        risk.save()
        record(risk, actor, "risk.treatment_set", changed)
    return risk


@transaction.atomic
def assess_residual(
    risk: Risk, *, actor: Any, likelihood: Any, consequence: Any, note: str = ""
) -> Risk:
    """The risk as it remains with the treatment in place. A changed residual level withdraws an
    earlier acceptance: it has to be accepted again at the new level."""
    if not risk.treatment_option:
        raise RiskError("Decide the treatment option before scoring the residual risk.")
    method = risk.method
    # The residual is scored under the same method version as the inherent risk.
    dims = method.dimension_keys()
    scored = score(method, likelihood, {dims[0]: {"rating": consequence}})
    before = snapshot(
        risk, ("residual_likelihood", "residual_consequence", "residual_level", "status")
    )
    level_changed = risk.residual_level != scored["level"]
    risk.residual_likelihood = scored["likelihood"]
    risk.residual_consequence = scored["consequence"]
    risk.residual_level = scored["level"]
    if level_changed and risk.status == RiskStatus.ACCEPTED:
        _clear_acceptance(risk)
        risk.status = RiskStatus.IN_TREATMENT
    risk.assessed_at = timezone.now()
    risk.save()
    RiskAssessment.objects.create(
        organisation_id=risk.organisation_id,
        risk=risk,
        kind=AssessmentKind.RESIDUAL,
        method=method,
        likelihood=scored["likelihood"],
        consequence=scored["consequence"],
        level=scored["level"],
        note=note[:500],
        assessed_by_label=label_of(actor),
    )
    record(
        risk,
        actor,
        "risk.residual_assessed",
        diff(
            before,
            snapshot(
                risk, ("residual_likelihood", "residual_consequence", "residual_level", "status")
            ),
        ),
    )
    review.resolve(review.RISK_SUBJECT, risk.pk, actor=actor, note=note or "Residual reassessed")
    return risk


def acceptance_refusal(membership: Any, risk: Risk) -> str | None:
    """Why this member may not accept this risk's residual level, or None if they may."""
    if risk.residual_level is None:
        return "Score the residual risk before accepting it."
    if risk.status == RiskStatus.CLOSED:
        return "A closed risk cannot be accepted."
    return authority_refusal(membership, risk.method, risk.residual_level)


def authority_refusal(membership: Any, method: Any, level: int) -> str | None:
    """Why this member's risk-acceptance authority does not cover a residual `level` scored on
    `method`, or None if it does. Any residual risk accepted anywhere (a risk, a failed V&V
    criterion) is judged by this one rule."""
    if membership is None:
        return "Only a member of the organisation can accept risk."
    band = method.band(level)["name"]
    limit = membership.risk_acceptance_limit
    if limit is None:
        return (
            "You have no risk-acceptance authority. The residual risk is level "
            f"{level} ({band}); ask a member whose authority covers it."
        )
    if level > limit:
        return (
            f"Your risk-acceptance authority goes up to level {limit}; this residual risk is "
            f"level {level} ({band}). Ask a member with a higher authority, "
            "such as top management."
        )
    if level > method.acceptance_threshold and not membership.is_top_management:
        return (
            f"The residual level {level} is above the method's acceptance threshold "
            f"({method.acceptance_threshold}): top management must accept it."
        )
    return None


@transaction.atomic
def accept_residual(risk: Risk, *, actor: Any, membership: Any, note: str = "") -> Risk:
    refusal = acceptance_refusal(membership, risk)
    if refusal:
        raise RiskError(refusal)
    before = snapshot(risk, ACCEPTANCE_FIELDS)
    risk.status = RiskStatus.ACCEPTED
    risk.accepted_by = user_of(actor)
    risk.accepted_by_label = label_of(actor)
    risk.accepted_at = timezone.now()
    risk.accepted_level = risk.residual_level
    risk.acceptance_note = note[:500]
    risk.save()
    record(risk, actor, "risk.residual_accepted", diff(before, snapshot(risk, ACCEPTANCE_FIELDS)))
    return risk


@transaction.atomic
def add_action(
    risk: Risk,
    *,
    actor: Any,
    title: str,
    owner: Any = None,
    due_date: Any = None,
    description: str = "",
) -> TreatmentAction:
    if not title.strip():
        raise RiskError("A treatment action needs a title.")
    action = TreatmentAction.objects.create(
        organisation_id=risk.organisation_id,
        risk=risk,
        title=title.strip(),
        owner=owner,
        due_date=due_date,
        description=description,
    )
    created(action, actor, "treatment_action.created", TreatmentAction.AUDIT_FIELDS)
    if risk.status == RiskStatus.IDENTIFIED and risk.treatment_option:
        risk.status = RiskStatus.IN_TREATMENT
        risk.save(update_fields=["status", "updated_at"])
    return action


@transaction.atomic
def update_action(action: TreatmentAction, *, actor: Any, **changes: Any) -> TreatmentAction:
    unknown = set(changes) - {"title", "description", "owner", "due_date", "status"}
    if unknown:
        raise TypeError(f"Not action fields: {sorted(unknown)}")
    if "status" in changes and changes["status"] not in ActionStatus.values:
        raise RiskError(f"Status must be one of {', '.join(ActionStatus.values)}.")
    before = snapshot(action, TreatmentAction.AUDIT_FIELDS)
    for name, value in changes.items():
        setattr(action, name, value)
    if action.status == ActionStatus.DONE and action.completed_at is None:
        action.completed_at = timezone.now()
    elif action.status != ActionStatus.DONE:
        action.completed_at = None
    changed = diff(before, snapshot(action, TreatmentAction.AUDIT_FIELDS))
    if changed:
        action.save()
        record(action, actor, "treatment_action.updated", changed)
    return action


@transaction.atomic
def select_control(
    risk: Risk, *, actor: Any, node: Any = None, custom: Any = None, rationale: str = ""
) -> SelectedControl:
    """Select an Annex A control (a catalog node of kind control) or an own control."""
    if (node is None) == (custom is None):
        raise RiskError("Select either an Annex A control or one of your own controls.")
    if node is not None and node.kind != "control":
        raise RiskError(f"{node.ref_id} is not a control.")
    if custom is not None and custom.organisation_id != risk.organisation_id:
        raise RiskError("That control is not in this organisation.")
    try:
        with transaction.atomic():
            selection = SelectedControl.objects.create(
                organisation_id=risk.organisation_id,
                risk=risk,
                node=node,
                custom=custom,
                rationale=rationale[:300],
            )
    except IntegrityError as exc:
        raise RiskError("The treatment already selects that control.") from exc
    record(risk, actor, "risk.control_selected", {"control": [None, str(selection)]})
    return selection


@transaction.atomic
def deselect_control(selection: SelectedControl, *, actor: Any) -> None:
    risk = selection.risk
    label = str(selection)
    selection.delete()
    record(risk, actor, "risk.control_deselected", {"control": [label, None]})
