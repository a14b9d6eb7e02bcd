"""Access checks of the risk routes (collected by the role matrix); the setup also creates the
impact assessment the impact-assessment checks use.

The contributor owns the AI system the risk and the assessment are about, so may write them;
accepting residual risk needs a risk-acceptance authority (the manager's, 20, covers it)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.impact_assessments import services as impact
from aimwell.impact_assessments.choices import IMPACT_AREA_KEYS
from aimwell.inventory import services as inventory
from aimwell.inventory.models import AISystem
from aimwell.risks.services import method, register, treatment
from aimwell.testing import MANAGERS, READERS, Check

WRITERS = {"admin", "aims_manager", "contributor"}
ACCEPTERS = {"aims_manager"}
CONTROL_BY_ROLE = {"admin": "A.6.2.2", "aims_manager": "A.6.2.3", "contributor": "A.6.2.5"}


def setup(ctx: dict[str, Any]) -> None:
    from aimwell.catalog.models import RequirementNode

    org = ctx["org"]
    owner = ctx["everyone"]["contributor"].user
    risk_method = method.publish_method(org, actor="t")
    system = AISystem.objects.filter(organisation=org, name="Credit scoring").first()
    if system is None:
        system = inventory.create(
            AISystem,
            org,
            actor="t",
            name="Credit scoring",
            purpose="Score loan applications",
            owner=owner,
            lifecycle_stage="deployed",
        )
    risk = register.create_risk(
        org,
        actor="t",
        title="Unfair refusals",
        system=system,
        custom_source="Historical lending data",
        likelihood=4,
        consequences={"individuals": {"rating": 4}},
    )
    treatment.set_treatment(risk, actor="t", option="modify")
    treatment.assess_residual(risk, actor="t", likelihood=2, consequence=4)
    action = treatment.add_action(risk, actor="t", title="Fairness tests before release")
    node = RequirementNode.objects.get(
        framework__urn="iso42001:2023", framework__organisation__isnull=True, ref_id="A.6.2.4"
    )
    selection = treatment.select_control(risk, actor="t", node=node)
    area = {"description": "x", "severity": 4, "likelihood": 3, "mitigation": "y"}
    assessment = impact.create_assessment(
        org,
        actor="t",
        system=system,
        affected_individuals="Applicants",
        dpia_required=False,
        impacts=dict.fromkeys(IMPACT_AREA_KEYS, area),
    )
    ctx.update(
        risk_method=risk_method,
        risk_system=system,
        risk=risk,
        risk_action=action,
        risk_selection=selection,
        risk_assessment=assessment,
        a624=node,
    )


def _risk(c: dict[str, Any]) -> str:
    return str(c["risk"].pk)


def _fresh_selection(c: dict[str, Any]) -> str:
    """A new selection for each caller, so every allowed role has one to remove."""
    from aimwell.catalog.models import RequirementNode
    from aimwell.risks.models import SelectedControl

    used = set(
        SelectedControl.objects.filter(risk=c["risk"]).values_list("node__ref_id", flat=True)
    )
    node = (
        RequirementNode.objects.filter(
            framework__urn="iso42001:2023", framework__organisation__isnull=True, kind="control"
        )
        .exclude(ref_id__in=used)
        .order_by("position")
        .first()
    )
    selection = treatment.select_control(c["risk"], actor="t", node=node)
    return str(selection.pk)


def _risk_body(role: str, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": f"Risk seen by {role}",
        "system_id": str(c["risk_system"].pk),
        "risk_source": "C.3.3",
        "likelihood": 3,
        "consequences": {"individuals": {"rating": 3, "description": "harm"}},
    }


WEB: dict[str, Check | str] = {
    "risks:home": Check("GET", lambda c: reverse("risks:home"), READERS, False),
    "risks:new": Check("GET", lambda c: reverse("risks:new"), WRITERS, False),
    "risks:export": Check("GET", lambda c: reverse("risks:export") + "?format=csv", READERS, False),
    "risks:method": Check("GET", lambda c: reverse("risks:method"), READERS, False),
    "risks:method-version": Check(
        "GET", lambda c: reverse("risks:method-version", args=[c["risk_method"].pk]), READERS, True
    ),
    "risks:detail": Check("GET", lambda c: reverse("risks:detail", args=[_risk(c)]), READERS, True),
    "risks:edit": Check("GET", lambda c: reverse("risks:edit", args=[_risk(c)]), WRITERS, True),
    "risks:reassess": Check(
        "POST",
        lambda c: reverse("risks:reassess", args=[_risk(c)]),
        WRITERS,
        True,
        body=lambda role: {"likelihood": "3", "c_individuals": "4", "note": role},
        ok=302,
    ),
    "risks:treatment": Check(
        "POST",
        lambda c: reverse("risks:treatment", args=[_risk(c)]),
        WRITERS,
        True,
        body=lambda role: {"option": "modify", "plan": f"plan of {role}"},
        ok=302,
    ),
    "risks:residual": Check(
        "POST",
        lambda c: reverse("risks:residual", args=[_risk(c)]),
        WRITERS,
        True,
        body=lambda role: {"likelihood": "2", "consequence": "3"},
        ok=302,
    ),
    "risks:accept": Check(
        "POST",
        lambda c: reverse("risks:accept", args=[_risk(c)]),
        ACCEPTERS,
        True,
        body=lambda role: {"note": "within appetite"},
        ok=302,
    ),
    "risks:close": Check(
        "POST",
        lambda c: reverse("risks:close", args=[_risk(c)]),
        WRITERS,
        True,
        body=lambda role: {"note": f"closed by {role}"},
        ok=302,
    ),
    "risks:action-add": Check(
        "POST",
        lambda c: reverse("risks:action-add", args=[_risk(c)]),
        WRITERS,
        True,
        body=lambda role: {"title": f"Action of {role}"},
        ok=302,
    ),
    "risks:action-status": Check(
        "POST",
        lambda c: reverse("risks:action-status", args=[c["risk_action"].pk]),
        WRITERS,
        True,
        body=lambda role: {"status": "in_progress"},
        ok=302,
    ),
    "risks:control-select": Check(
        "POST",
        lambda c: reverse("risks:control-select", args=[_risk(c)]),
        WRITERS,
        True,
        body=lambda role: {"control": CONTROL_BY_ROLE.get(role, "A.6.2.6")},
        ok=302,
    ),
    "risks:control-remove": Check(
        "POST",
        lambda c: reverse("risks:control-remove", args=[_risk(c), _fresh_selection(c)]),
        WRITERS,
        True,
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/risk-methods"): Check("GET", lambda c: "/api/v1/risk-methods", READERS, False),
    ("POST", "/api/v1/risk-methods"): Check(
        "POST",
        lambda c: "/api/v1/risk-methods",
        MANAGERS,
        False,
        ok=201,
        body=lambda role: {"name": f"Method of {role}", "acceptance_threshold": 9},
    ),
    ("GET", "/api/v1/risk-methods/{method_id}"): Check(
        "GET", lambda c: f"/api/v1/risk-methods/{c['risk_method'].pk}", READERS, True
    ),
    ("GET", "/api/v1/risks"): Check("GET", lambda c: "/api/v1/risks", READERS, False),
    ("GET", "/api/v1/risks/heatmap"): Check(
        "GET", lambda c: "/api/v1/risks/heatmap", READERS, False
    ),
    ("GET", "/api/v1/risks/export"): Check(
        "GET", lambda c: "/api/v1/risks/export?format=csv", READERS, False
    ),
    ("POST", "/api/v1/risks"): Check(
        "POST", lambda c: "/api/v1/risks", WRITERS, False, ok=201, body=_risk_body
    ),
    ("GET", "/api/v1/risks/{risk_id}"): Check(
        "GET", lambda c: f"/api/v1/risks/{_risk(c)}", READERS, True
    ),
    ("PATCH", "/api/v1/risks/{risk_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/risks/{_risk(c)}",
        WRITERS,
        True,
        body=lambda role: {"causes": f"seen by {role}"},
    ),
    ("POST", "/api/v1/risks/{risk_id}/reassess"): Check(
        "POST",
        lambda c: f"/api/v1/risks/{_risk(c)}/reassess",
        WRITERS,
        True,
        body=lambda role: {"likelihood": 3, "consequences": {"groups": {"rating": 4}}},
    ),
    ("PUT", "/api/v1/risks/{risk_id}/treatment"): Check(
        "PUT",
        lambda c: f"/api/v1/risks/{_risk(c)}/treatment",
        WRITERS,
        True,
        body=lambda role: {"option": "share", "plan": "insure"},
    ),
    ("POST", "/api/v1/risks/{risk_id}/residual"): Check(
        "POST",
        lambda c: f"/api/v1/risks/{_risk(c)}/residual",
        WRITERS,
        True,
        body=lambda role: {"likelihood": 2, "consequence": 2},
    ),
    ("POST", "/api/v1/risks/{risk_id}/accept"): Check(
        "POST",
        lambda c: f"/api/v1/risks/{_risk(c)}/accept",
        ACCEPTERS,
        True,
        body=lambda role: {"note": "ok"},
    ),
    ("POST", "/api/v1/risks/{risk_id}/close"): Check(
        "POST",
        lambda c: f"/api/v1/risks/{_risk(c)}/close",
        WRITERS,
        True,
        body=lambda role: {"note": "no longer relevant"},
    ),
    ("POST", "/api/v1/risks/{risk_id}/actions"): Check(
        "POST",
        lambda c: f"/api/v1/risks/{_risk(c)}/actions",
        WRITERS,
        True,
        ok=201,
        body=lambda role: {"title": f"Action by {role}", "due_date": "2030-01-01"},
    ),
    ("PATCH", "/api/v1/treatment-actions/{action_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/treatment-actions/{c['risk_action'].pk}",
        WRITERS,
        True,
        body=lambda role: {"status": "in_progress"},
    ),
    ("POST", "/api/v1/risks/{risk_id}/controls"): Check(
        "POST",
        lambda c: f"/api/v1/risks/{_risk(c)}/controls",
        WRITERS,
        True,
        ok=201,
        body=lambda role: {"control": CONTROL_BY_ROLE.get(role, "A.6.2.6")},
    ),
    ("DELETE", "/api/v1/risks/{risk_id}/controls/{selection_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/risks/{_risk(c)}/controls/{_fresh_selection(c)}",
        WRITERS,
        True,
    ),
}
