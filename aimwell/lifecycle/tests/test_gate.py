"""The deployment gate (A.6.2.5): each computed precondition refuses in turn and is named; only
the designated member approves; a new model version, whichever way it arrives, reopens it."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.inventory import services as inventory
from aimwell.inventory.models import AIModel, ReviewFlag
from aimwell.inventory.services.review import resolve_review
from aimwell.lifecycle.models import DeploymentApproval
from aimwell.lifecycle.services import records
from aimwell.lifecycle.tests import factories as f

URL = "/api/v1/lifecycle/systems/{}/deployment"


def _approve(actor, system, model, note=""):
    return actor.api(
        "POST", URL.format(system.pk) + "/approve", {"model_id": str(model.pk), "note": note}
    )


STEPS = {
    "classification": lambda org, s, m: f.classify(s),
    "risk_assessment": lambda org, s, m: f.assess_risk(org, s),
    "impact_assessment": lambda org, s, m: f.assess_impact(org, s, m),
    "vv": lambda org, s, m: f.plan_passed(s, m.user),
    "monitoring": lambda org, s, m: f.monitor(s),
}
NAMES = {
    "classification": "EU AI Act classification current",
    "risk_assessment": "Risk assessment current",
    "impact_assessment": "Impact assessment current",
    "vv": "Verification and validation passed",
    "monitoring": "Monitoring configured",
}


@pytest.mark.parametrize("left_out", list(STEPS))
def test_approval_refused_naming_the_one_missing_precondition(org, manager, contributor, left_out):
    system, model = f.system(org, contributor.user)
    for key, step in STEPS.items():
        if key != left_out:
            step(org, system, manager)
    response = _approve(manager, system, model)
    assert response.status_code == 400
    body = response.json()
    assert body["missing"] == [NAMES[left_out]]
    assert NAMES[left_out] in body["message"]
    assert not DeploymentApproval.objects.exists()


def test_high_risk_system_needs_its_technical_documentation(org, manager, contributor):
    system, model = f.system(org, contributor.user, "Credit scoring")
    f.classify(system, f.CREDIT_ANSWERS)
    f.assess_risk(org, system)
    f.assess_impact(org, system, manager)
    f.monitor(system)
    f.plan_passed(system, manager.user)
    response = _approve(manager, system, model)
    assert response.status_code == 400
    assert response.json()["missing"] == ["Technical documentation complete"]
    gate = manager.api("GET", URL.format(system.pk)).json()
    detail = next(p for p in gate["preconditions"] if p["key"] == "technical_documentation")
    assert "approved requirements" in detail["detail"] and "event-log policy" in detail["detail"]
    # Complete the records: requirements, design (approved) and the event-log policy.
    spec = records.save_requirements(system, actor=manager.user, intended_purpose="Score credit")
    records.approve_record(spec, actor=manager.user)
    design = records.save_design(system, actor=manager.user, architecture="Gradient boosting")
    records.approve_record(design, actor=manager.user)
    records.save_logging_policy(
        system,
        actor=manager.user,
        events_logged="Every score",
        storage_location="Audit DB",
        retention_days=400,
    )
    assert _approve(manager, system, model).status_code == 201


def test_every_missing_precondition_is_listed_at_once(org, manager, contributor):
    system, model = f.system(org, contributor.user)
    response = _approve(manager, system, model)
    assert response.status_code == 400
    assert response.json()["missing"] == [
        "EU AI Act classification current",
        "Risk assessment current",
        "Impact assessment current",
        "Verification and validation passed",
        "Monitoring configured",
    ]


def test_only_the_designated_member_approves(org, manager, admin, contributor):
    system, model = f.gate_ready(org, contributor.user, manager)
    # The admin holds no top-management designation (the default requirement).
    response = _approve(admin, system, model)
    assert response.status_code == 403
    assert "top management" in response.json()["message"]
    assert not DeploymentApproval.objects.exists()
    # The organisation may name the AI life-cycle process owner instead: the contributor is one.
    assert (
        admin.api(
            "PUT", "/api/v1/lifecycle/settings", {"approver_designation": "ai_lifecycle_owner"}
        ).status_code
        == 200
    )
    assert _approve(manager, system, model).status_code == 403
    response = _approve(contributor, system, model, note="Checked the V&V report")
    assert response.status_code == 201
    assert response.json()["number"] == 1
    assert response.json()["designation"] == "ai_lifecycle_owner"


def test_a_new_model_version_reopens_the_approval(org, manager, contributor):
    system, model = f.gate_ready(org, contributor.user, manager)
    assert _approve(manager, system, model).status_code == 201
    gate = manager.api("GET", URL.format(system.pk)).json()
    assert gate["approval_state"] == "approved"
    assert gate["approval"]["model"] == str(model)
    inventory.new_model_version(model, version="1.1", actor="t")
    gate = manager.api("GET", URL.format(system.pk)).json()
    assert gate["approval_state"] == "reopened"
    assert "1.1" in gate["approval_reason"]
    approval = DeploymentApproval.objects.get()
    flag = ReviewFlag.objects.get(subject_type="lifecycle.deploymentapproval", resolved_at=None)
    assert flag.subject_id == str(approval.pk) and flag.system_id == system.pk
    # The new version also put the classification and assessments up for review: until they are
    # looked at again, the gate stays shut.
    successor = AIModel.objects.get(name=model.name, version="1.1")
    response = _approve(manager, system, successor)
    assert response.status_code == 400
    assert response.json()["missing"] == [
        "EU AI Act classification current",
        "Risk assessment current",
        "Impact assessment current",
    ]
    others = ReviewFlag.objects.filter(resolved_at=None).exclude(subject_type=flag.subject_type)
    for other in others:
        resolve_review(other, actor=manager.user, note="Still holds for 1.1")
    # Approving the version the system now runs closes the approval's flag.
    assert _approve(manager, system, successor).status_code == 201
    assert manager.api("GET", URL.format(system.pk)).json()["approval_state"] == "approved"
    assert not ReviewFlag.objects.filter(
        subject_type="lifecycle.deploymentapproval", resolved_at=None
    ).exists()


def test_a_version_linked_by_another_path_reopens_it_too(org, manager, contributor):
    """A registry sync adds a version and links it without calling this app."""
    system, model = f.gate_ready(org, contributor.user, manager)
    assert _approve(manager, system, model).status_code == 201
    synced = inventory.create(
        AIModel, org, actor="sync", name=model.name, version="2", origin="in_house"
    )
    inventory.link(system, "models", synced, actor="sync")
    gate = manager.api("GET", URL.format(system.pk)).json()
    assert gate["approval_state"] == "reopened"
    assert ReviewFlag.objects.filter(
        subject_type="lifecycle.deploymentapproval", resolved_at=None
    ).exists()


def test_a_retired_model_version_cannot_be_approved(org, manager, contributor):
    system, model = f.gate_ready(org, contributor.user, manager)
    inventory.update(model, actor="t", retired_on=dt.date(2026, 1, 31))
    response = _approve(manager, system, model)
    assert response.status_code == 400
    assert "retired on 2026-01-31" in response.json()["message"]
    assert not DeploymentApproval.objects.exists()


def test_a_model_of_another_organisation_is_not_found(org, manager, contributor, outsider):
    from aimwell.accounts.models import Organisation

    system, _ = f.gate_ready(org, contributor.user, manager)
    other = Organisation.objects.get(slug="elsewhere")
    foreign = inventory.create(AIModel, other, actor="t", name="x", version="1", origin="open")
    assert _approve(manager, system, foreign).status_code == 404
    assert _approve(outsider, system, foreign).status_code == 404
    assert not DeploymentApproval.objects.exists()


def test_the_approval_is_recorded_as_evidence_of_a_6_2_5(org, manager, contributor):
    from aimwell.evidence.models import EvidenceItem

    system, model = f.gate_ready(org, contributor.user, manager)
    approval_id = _approve(manager, system, model).json()["id"]
    item = EvidenceItem.objects.get(source="lifecycle.deploymentapproval")
    assert [n.ref_id for n in item.requirements.all()] == ["A.6.2.5"]
    assert str(item.links.get().target_id) == approval_id
