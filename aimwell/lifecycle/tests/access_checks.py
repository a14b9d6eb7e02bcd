"""Access checks of the life-cycle routes (collected by the role matrix).

The contributor owns the systems. The manager fixture is top management with a risk-acceptance
authority: the only one who approves deployments (the default designation) and accepts residual
risk here; the admin holds neither."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.change_control import services as changes
from aimwell.lifecycle.services import records, vv
from aimwell.lifecycle.tests import factories as f
from aimwell.testing import MANAGERS, READERS, Check

WRITERS = {"admin", "aims_manager", "contributor"}


def setup(ctx: dict[str, Any]) -> None:
    org = ctx["org"]
    owner = ctx["everyone"]["contributor"].user
    f.method(org)
    frozen, model = f.system(org, owner, "Lifecycle frozen system")
    records.save_requirements(frozen, actor="t", intended_purpose="Score applications")
    plan = vv.save_plan(frozen, actor="t", scope="Hold-out")
    criterion = vv.add_criterion(
        plan,
        actor="t",
        key="AC-1",
        kind="performance",
        metric="roc_auc",
        comparison="gte",
        threshold=0.75,
    )
    vv.freeze_plan(plan, actor="t")
    vv.record_result(frozen, criterion_id=criterion.pk, value=0.7, actor="t")
    open_plan, _ = f.system(org, owner, "Lifecycle open plan")
    unfrozen = vv.save_plan(open_plan, actor="t", scope="Hold-out")
    vv.add_criterion(
        unfrozen, actor="t", key="AC-0", kind="other", metric="m", comparison="gte", threshold=1
    )
    change = changes.create_change(
        org,
        actor="t",
        title="Retrain",
        scope="system",
        system=frozen,
        reason="Drift",
        what_changes="Model",
        owner=owner,
    )
    ctx.update(
        lc_system=frozen,
        lc_model=model,
        lc_criterion=criterion,
        lc_open=open_plan,
        lc_change=change,
    )


def _s(c: dict[str, Any]) -> str:
    return str(c["lc_system"].pk)


API_BASE = "/api/v1/lifecycle/systems/{}"

WEB: dict[str, Check | str] = {
    "lifecycle:index": Check("GET", lambda c: reverse("lifecycle:index"), READERS, False),
    "lifecycle:system": Check(
        "GET", lambda c: reverse("lifecycle:system", args=[_s(c)]), READERS, True
    ),
    "lifecycle:record-edit": Check(
        "GET", lambda c: reverse("lifecycle:record-edit", args=[_s(c), "design"]), WRITERS, True
    ),
    "lifecycle:record-approve": Check(
        "POST",
        lambda c: reverse("lifecycle:record-approve", args=[_s(c), "requirements"]),
        WRITERS,
        True,
        body=lambda role: {"note": role},
        ok=302,
    ),
    "lifecycle:vv": Check(
        "POST",
        lambda c: reverse("lifecycle:vv", args=[str(c["lc_open"].pk), "criterion"]),
        WRITERS,
        True,
        body=lambda role: {
            "key": f"AC-{role}",
            "kind": "fairness",
            "metric": "dp_ratio_min",
            "comparison": "gte",
            "threshold": "0.8",
        },
        ok=302,
    ),
    "lifecycle:approve": Check(
        "POST",
        lambda c: reverse("lifecycle:approve", args=[_s(c)]),
        {"aims_manager"},
        True,
        body=lambda role, c: {"model_id": str(c["lc_model"].pk)},
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/lifecycle/systems"): Check(
        "GET", lambda c: "/api/v1/lifecycle/systems", READERS, False
    ),
    ("GET", "/api/v1/lifecycle/systems/{system_id}"): Check(
        "GET", lambda c: API_BASE.format(_s(c)), READERS, True
    ),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/requirements"): Check(
        "PUT",
        lambda c: API_BASE.format(_s(c)) + "/requirements",
        WRITERS,
        True,
        body=lambda role: {"intended_purpose": f"Purpose by {role}"},
    ),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/design"): Check(
        "PUT",
        lambda c: API_BASE.format(_s(c)) + "/design",
        WRITERS,
        True,
        body=lambda role: {"architecture": f"Architecture by {role}"},
    ),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/logging-policy"): Check(
        "PUT",
        lambda c: API_BASE.format(_s(c)) + "/logging-policy",
        WRITERS,
        True,
        body=lambda role: {"events_logged": role, "storage_location": "DB", "retention_days": 200},
    ),
    ("POST", "/api/v1/lifecycle/systems/{system_id}/records/{kind}/approve"): Check(
        "POST",
        lambda c: API_BASE.format(_s(c)) + "/records/requirements/approve",
        WRITERS,
        True,
        body=lambda role: {"note": role},
    ),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/vv-plan"): Check(
        "PUT",
        lambda c: API_BASE.format(str(c["lc_open"].pk)) + "/vv-plan",
        WRITERS,
        True,
        body=lambda role: {"scope": f"Scope by {role}"},
    ),
    ("POST", "/api/v1/lifecycle/systems/{system_id}/vv-plan/criteria"): Check(
        "POST",
        lambda c: API_BASE.format(str(c["lc_open"].pk)) + "/vv-plan/criteria",
        WRITERS,
        True,
        ok=201,
        body=lambda role: {
            "key": f"AC-{role}",
            "kind": "performance",
            "metric": "roc_auc",
            "comparison": "gte",
            "threshold": 0.7,
        },
    ),
    ("POST", "/api/v1/lifecycle/systems/{system_id}/vv-plan/freeze"): Check(
        "POST",
        lambda c: API_BASE.format(str(c["lc_open"].pk)) + "/vv-plan/freeze",
        WRITERS,
        True,
        body=lambda role: {},
    ),
    ("POST", "/api/v1/lifecycle/systems/{system_id}/vv-results"): Check(
        "POST",
        lambda c: API_BASE.format(_s(c)) + "/vv-results",
        WRITERS,
        True,
        ok=201,
        body=lambda role, c: {"criterion_id": str(c["lc_criterion"].pk), "value": 0.8},
    ),
    ("POST", "/api/v1/lifecycle/systems/{system_id}/vv-acceptances"): Check(
        "POST",
        lambda c: API_BASE.format(_s(c)) + "/vv-acceptances",
        {"aims_manager"},
        True,
        ok=201,
        body=lambda role, c: {
            "criterion_id": str(c["lc_criterion"].pk),
            "kind": "failed",
            "likelihood": 1,
            "consequence": 2,
            "rationale": "Manual review",
        },
    ),
    ("GET", "/api/v1/lifecycle/systems/{system_id}/deployment"): Check(
        "GET", lambda c: API_BASE.format(_s(c)) + "/deployment", READERS, True
    ),
    ("POST", "/api/v1/lifecycle/systems/{system_id}/deployment/approve"): Check(
        "POST",
        lambda c: API_BASE.format(_s(c)) + "/deployment/approve",
        {"aims_manager"},
        True,
        ok=400,  # allowed through, then refused: the preconditions are not met here
        body=lambda role, c: {"model_id": str(c["lc_model"].pk)},
    ),
    ("GET", "/api/v1/lifecycle/settings"): Check(
        "GET", lambda c: "/api/v1/lifecycle/settings", READERS, False
    ),
    ("PUT", "/api/v1/lifecycle/settings"): Check(
        "PUT",
        lambda c: "/api/v1/lifecycle/settings",
        MANAGERS,
        False,
        body=lambda role: {"approver_designation": "top_management"},
    ),
}
