"""Building blocks of the life-cycle tests: a system whose deployment gate is open, built through
the real services of every app it draws on."""

from __future__ import annotations

from typing import Any

from aimwell.inventory import services as inventory
from aimwell.inventory.models import AIModel, AISystem

# A system outside the high-risk uses: minimal risk once classified.
MINIMAL_ANSWERS: dict[str, Any] = {
    "is_ai_system": True,
    "eu_nexus": True,
    "exclusions": ["none"],
    "art5_practices": ["none"],
    "annex_i_product": "none",
    "annex_iii_areas": ["none"],
    "art50_features": ["none"],
    "open_source_release": False,
    "gpai_model": False,
}
CREDIT_ANSWERS: dict[str, Any] = {
    **MINIMAL_ANSWERS,
    "annex_iii_areas": ["area_5"],
    "annex_iii_5_uses": ["creditworthiness"],
    "art6_3_derogations": ["none"],
    "deployer_type": "other",
}


def method(org: Any) -> Any:
    from aimwell.risks.services.method import current_method, default_spec, publish_method

    return current_method(org) or publish_method(org, actor="t", **default_spec())


def system(org: Any, owner: Any, name: str = "Churn model") -> tuple[AISystem, AIModel]:
    model = inventory.create(
        AIModel, org, actor="t", name=f"{name} model", version="1.0", origin="in_house"
    )
    sys = inventory.create(
        AISystem,
        org,
        actor="t",
        name=name,
        purpose="Predict which customers leave",
        owner=owner,
        lifecycle_stage="validation",
        eu_role="provider",
    )
    inventory.link(sys, "models", model, actor="t")
    return sys, model


def classify(sys: AISystem, answers: dict[str, Any] | None = None) -> Any:
    from aimwell.classification.services import classify_system

    return classify_system(sys, answers or MINIMAL_ANSWERS, actor="t", role="provider")


def assess_risk(org: Any, sys: AISystem) -> Any:
    from aimwell.risks.services import register

    method(org)
    return register.create_risk(
        org,
        actor="t",
        title=f"Wrong predictions of {sys.name}",
        system=sys,
        custom_source="Model error",
        likelihood=2,
        consequences={"individuals": {"rating": 2}},
    )


def assess_impact(org: Any, sys: AISystem, manager: Any) -> Any:
    from aimwell.impact_assessments import services as impact
    from aimwell.impact_assessments.choices import FRIA_KEYS, IMPACT_AREA_KEYS

    area = {"description": "d", "severity": 2, "likelihood": 2, "mitigation": "m"}
    assessment = impact.create_assessment(
        org,
        actor="t",
        system=sys,
        affected_individuals="Customers",
        dpia_required=False,
        impacts=dict.fromkeys(IMPACT_AREA_KEYS, area),
        fria=dict.fromkeys(FRIA_KEYS, "answered"),
    )
    return impact.approve(assessment, actor=manager.user, membership=manager.membership)


def monitor(sys: AISystem) -> Any:
    from aimwell.monitoring import services

    return services.create_monitor(
        sys,
        actor="t",
        name=f"{sys.name} performance",
        label_column="approved",
        prediction_column="predicted",
        score_column="score",
        metrics=["performance"],
    )


def plan_passed(sys: AISystem, actor: Any) -> Any:
    from aimwell.lifecycle.services import vv

    plan = vv.save_plan(sys, actor=actor, scope="Hold-out set", method="Offline evaluation")
    criterion = vv.add_criterion(
        plan,
        actor=actor,
        key="AC-1",
        kind="performance",
        metric="roc_auc",
        comparison="gte",
        threshold=0.75,
    )
    vv.freeze_plan(plan, actor=actor)
    vv.record_result(sys, criterion_id=criterion.pk, value=0.81, actor=actor)
    return plan


def gate_ready(
    org: Any, owner: Any, manager: Any, name: str = "Churn model"
) -> tuple[AISystem, AIModel]:
    """A minimal-risk system with every deployment precondition met."""
    sys, model = system(org, owner, name)
    classify(sys)
    assess_risk(org, sys)
    assess_impact(org, sys, manager)
    monitor(sys)
    plan_passed(sys, manager.user)
    return sys, model
