"""V&V plans freeze their criteria; results are judged against the frozen thresholds; failed
criteria need an acceptance within authority. Change requests (6.3) and bad input."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.change_control.models import ChangeRequest
from aimwell.inventory.models import ReviewFlag
from aimwell.lifecycle.models import AcceptanceCriterion, CriterionAcceptance, VVPlan, VVResult
from aimwell.lifecycle.services import vv
from aimwell.lifecycle.tests import factories as f

BASE = "/api/v1/lifecycle/systems/{}"


@pytest.fixture
def frozen(org, manager, contributor):
    system, _ = f.system(org, contributor.user)
    f.method(org)
    plan = vv.save_plan(system, actor=manager.user, scope="Hold-out 2025")
    for key, metric, comparison, threshold, group in (
        ("AC-1", "roc_auc", "gte", 0.75, ""),
        ("AC-2", "selection_rate_ratio", "gte", 0.8, "age band 18-25"),
    ):
        vv.add_criterion(
            plan,
            actor=manager.user,
            key=key,
            kind="performance",
            metric=metric,
            comparison=comparison,
            threshold=threshold,
            group=group,
        )
    vv.freeze_plan(plan, actor=manager.user)
    return system, plan


def _criterion(plan, key):
    return AcceptanceCriterion.objects.get(plan=plan, key=key)


def test_freezing_hashes_the_criteria_and_refuses_new_ones(frozen, manager):
    system, plan = frozen
    plan.refresh_from_db()
    expected = [
        {
            "comparison": "gte",
            "description": "",
            "group": "",
            "key": "AC-1",
            "kind": "performance",
            "metric": "roc_auc",
            "threshold": 0.75,
        },
        {
            "comparison": "gte",
            "description": "",
            "group": "age band 18-25",
            "key": "AC-2",
            "kind": "performance",
            "metric": "selection_rate_ratio",
            "threshold": 0.8,
        },
    ]
    canonical = json.dumps(
        {"criteria": expected, "frozen_at": plan.frozen_at.isoformat(), "system": str(system.pk)},
        sort_keys=True,
        separators=(",", ":"),
    )
    assert plan.criteria_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    response = manager.api(
        "POST",
        BASE.format(system.pk) + "/vv-plan/criteria",
        {
            "key": "AC-3",
            "kind": "robustness",
            "metric": "psi_max",
            "comparison": "lte",
            "threshold": 0.2,
        },
    )
    assert response.status_code == 400
    assert "frozen" in response.json()["message"]
    assert AcceptanceCriterion.objects.filter(plan=plan).count() == 2
    detail = manager.api("GET", BASE.format(system.pk)).json()["vv_plan"]
    assert detail["intact"] is True and detail["criteria_sha256"] == plan.criteria_sha256
    # Tampering with a frozen threshold in the database shows: the hash no longer matches.
    AcceptanceCriterion.objects.filter(plan=plan, key="AC-1").update(threshold=0.5)
    assert manager.api("GET", BASE.format(system.pk)).json()["vv_plan"]["intact"] is False


def test_a_failed_result_without_acceptance_keeps_vv_failed(frozen, manager, admin):
    system, plan = frozen
    url = BASE.format(system.pk)
    ac1, ac2 = _criterion(plan, "AC-1"), _criterion(plan, "AC-2")
    ok = manager.api("POST", url + "/vv-results", {"criterion_id": str(ac1.pk), "value": 0.8})
    assert ok.status_code == 201 and ok.json()["passed"] is True
    low = manager.api("POST", url + "/vv-results", {"criterion_id": str(ac2.pk), "value": 0.74})
    assert low.status_code == 201 and low.json()["passed"] is False  # 0.74 < 0.8
    assert manager.api("GET", url).json()["vv_plan"]["outcome"] == "failed"
    body = {
        "criterion_id": str(ac2.pk),
        "kind": "failed",
        "likelihood": 2,
        "consequence": 2,
        "rationale": "Small group; manual review of every refusal in that band",
    }
    # The admin has no risk-acceptance authority: refused, nothing written, still failed.
    refused = admin.api("POST", url + "/vv-acceptances", body)
    assert refused.status_code == 403
    assert "risk-acceptance authority" in refused.json()["message"]
    assert not CriterionAcceptance.objects.exists()
    assert manager.api("GET", url).json()["vv_plan"]["outcome"] == "failed"
    accepted = manager.api("POST", url + "/vv-acceptances", body)
    assert accepted.status_code == 201
    assert accepted.json()["residual_level"] == 4  # 2 x 2 on the default product matrix
    plan_out = manager.api("GET", url).json()["vv_plan"]
    assert plan_out["outcome"] == "accepted"
    assert [c["status"] for c in plan_out["criteria"]] == ["passed", "accepted"]


def test_a_result_for_another_systems_criterion_is_refused(frozen, org, manager, contributor):
    _system, plan = frozen
    other, _ = f.system(org, contributor.user, "Other system")
    response = manager.api(
        "POST",
        BASE.format(other.pk) + "/vv-results",
        {"criterion_id": str(_criterion(plan, "AC-1").pk), "value": 0.9},
    )
    assert response.status_code == 400
    assert "not one of Other system's" in response.json()["message"]
    assert not VVResult.objects.exists()


def test_an_outsider_cannot_reach_the_records(frozen, outsider):
    system, plan = frozen
    assert outsider.api("GET", BASE.format(system.pk)).status_code == 404
    response = outsider.api(
        "POST",
        BASE.format(system.pk) + "/vv-results",
        {"criterion_id": str(_criterion(plan, "AC-1").pk), "value": 0.9},
    )
    assert response.status_code == 404
    assert not VVResult.objects.exists()


def test_requirements_are_versioned_and_approval_is_evidence(org, manager, contributor):
    from aimwell.core.models import AuditEvent

    system, _ = f.system(org, contributor.user)
    url = BASE.format(system.pk) + "/requirements"
    first = contributor.api("PUT", url, {"intended_purpose": "Predict churn"}).json()
    assert first["version"] == 1 and first["status"] == "draft"
    approved = manager.api("POST", BASE.format(system.pk) + "/records/requirements/approve", {})
    assert approved.json()["status"] == "approved"
    second = contributor.api("PUT", url, {"intended_purpose": "Predict churn monthly"}).json()
    assert second["version"] == 2 and second["status"] == "draft"
    actions = list(
        AuditEvent.objects.filter(object_id=first["id"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "requirements.created",
        "requirements.approved",
        "requirements.updated",
        "requirements.versioned",
    ]


def test_high_risk_logs_are_kept_six_months(org, manager, contributor):
    system, _ = f.system(org, contributor.user, "Credit scoring")
    f.classify(system, f.CREDIT_ANSWERS)
    body = {
        "events_logged": "Scores and overrides",
        "storage_location": "Audit DB",
        "retention_days": 90,
    }
    response = manager.api("PUT", BASE.format(system.pk) + "/logging-policy", body)
    assert response.status_code == 400
    assert "Art. 26(6)" in response.json()["message"]
    body["retention_days"] = 183
    assert manager.api("PUT", BASE.format(system.pk) + "/logging-policy", body).status_code == 200


def _change(system=None):
    return {
        "title": "Retrain on 2025 data",
        "scope": "system" if system else "aims",
        "system_id": str(system.pk) if system else None,
        "reason": "Drift in income distribution",
        "what_changes": "Model retrained and re-validated",
        "impact_on_risks": "R-001 reassessed",
        "planned_for": "2026-12-20",
        "review_after": "2027-01-20",
    }


def test_an_approved_change_to_a_system_flags_what_it_touches(org, manager, contributor):
    system, _ = f.system(org, contributor.user)
    f.classify(system)
    created = contributor.api("POST", "/api/v1/changes", _change(system))
    assert created.status_code == 201
    change = created.json()
    assert change["reference"] == "CR-001" and change["status"] == "draft"
    url = f"/api/v1/changes/{change['id']}"
    assert contributor.api("POST", url + "/submit", {}).json()["status"] == "submitted"
    # Only a manager decides.
    assert contributor.api("POST", url + "/approve", {}).status_code == 403
    assert manager.api("POST", url + "/approve", {"note": "Go"}).json()["status"] == "approved"
    flag = ReviewFlag.objects.get(system=system, resolved_at=None)
    assert flag.subject_type == "classification.classification"
    assert "CR-001 approved" in flag.reason
    assert manager.api("PATCH", url, {"title": "x"}).status_code == 400
    assert contributor.api("POST", url + "/implement", {}).json()["status"] == "implemented"
    assert contributor.api("POST", url + "/review", {"note": ""}).status_code == 400
    done = contributor.api("POST", url + "/review", {"note": "Drift gone"}).json()
    assert done["status"] == "reviewed"


def test_a_change_naming_another_organisations_system_is_refused(org, other_org, manager, outsider):
    foreign, _ = f.system(other_org, None, "Foreign system")
    response = manager.api("POST", "/api/v1/changes", _change(foreign))
    assert response.status_code == 404
    assert not ChangeRequest.objects.exists()
    mine = manager.api("POST", "/api/v1/changes", _change()).json()
    response = manager.api(
        "PATCH", f"/api/v1/changes/{mine['id']}", {"scope": "system", "system_id": str(foreign.pk)}
    )
    assert response.status_code == 404
    assert ChangeRequest.objects.get().system_id is None
    assert outsider.api("GET", f"/api/v1/changes/{mine['id']}").status_code == 404
    assert org.name not in outsider.api("GET", "/api/v1/changes").content.decode()


def test_an_aims_change_needs_no_system_and_review_follows_implementation(org, manager):
    response = manager.api("POST", "/api/v1/changes", {**_change(), "review_after": "2026-12-01"})
    assert response.status_code == 400
    assert "review comes after" in response.json()["message"]
    assert not ChangeRequest.objects.exists()


def _count(actor, url):
    with CaptureQueriesContext(connection) as ctx:
        response = actor.api("GET", url) if url.startswith("/api/") else actor.client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The API lists and the pages that list every system's life cycle and every change.
LISTS = ("/api/v1/lifecycle/systems", "/api/v1/changes", "/lifecycle/", "/changes/")


def test_query_counts_do_not_grow_with_records(org, manager, contributor):
    from aimwell.change_control import services as changes

    def grow(n):
        for i in range(n):
            system, _ = f.system(org, contributor.user, f"System {VVPlan.objects.count()}-{i}")
            plan = vv.save_plan(system, actor="t")
            c = vv.add_criterion(
                plan, actor="t", key="AC-1", kind="other", metric="m", comparison="gte", threshold=1
            )
            vv.freeze_plan(plan, actor="t")
            vv.record_result(system, criterion_id=c.pk, value=2, actor="t")
            changes.create_change(
                org,
                actor="t",
                title=f"c{i}",
                scope="system",
                system=system,
                reason="r",
                what_changes="w",
            )

    grow(2)
    for url in LISTS:  # the first request of each kind caches the session
        _count(manager, url)
    small = [_count(manager, url) for url in LISTS]
    grow(5)
    large = [_count(manager, url) for url in LISTS]
    assert small == large


def test_one_systems_life_cycle_page_costs_the_same_with_more_criteria_and_results(
    org, manager, contributor
):
    def frozen_with(name, n_criteria, n_results):
        system, _ = f.system(org, contributor.user, name)
        plan = vv.save_plan(system, actor="t")
        criteria = [
            vv.add_criterion(
                plan,
                actor="t",
                key=f"AC-{i}",
                kind="other",
                metric="m",
                comparison="gte",
                threshold=1,
            )
            for i in range(n_criteria)
        ]
        vv.freeze_plan(plan, actor="t")
        for _ in range(n_results):
            for criterion in criteria:
                vv.record_result(system, criterion_id=criterion.pk, value=2, actor="t")
        return f"/lifecycle/systems/{system.pk}/"

    small = frozen_with("Small", 2, 1)
    large = frozen_with("Large", 8, 3)
    _count(manager, small)  # the first request caches the session
    assert _count(manager, small) == _count(manager, large)
