"""The risk services called directly: each state change they make, what they record in the audit
trail, and each refusal (with nothing written)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from aimwell.core.models import AuditEvent
from aimwell.risks.errors import RiskError
from aimwell.risks.models import Risk, SelectedControl, TreatmentAction
from aimwell.risks.services import register, treatment
from aimwell.risks.tests import factories as f

pytestmark = pytest.mark.django_db


def _events(obj: object, action: str) -> list[dict]:
    rows = AuditEvent.objects.filter(object_id=str(obj.pk), action=action).order_by("seq")
    return [json.loads(e.changes) for e in rows]


def test_closing_a_risk_needs_a_reason_and_records_it(catalog, org, manager):
    risk = f.risk(org)
    with pytest.raises(RiskError, match="why"):
        register.close_risk(risk, actor=manager.user, note="  ")
    assert Risk.objects.get(pk=risk.pk).status == "identified"
    assert _events(risk, "risk.closed") == []

    register.close_risk(risk, actor=manager.user, note="System retired")
    assert Risk.objects.get(pk=risk.pk).status == "closed"
    assert _events(risk, "risk.closed") == [
        {"status": ["identified", "closed"], "note": [None, "System retired"]}
    ]


def test_a_treatment_option_moves_an_identified_risk_into_treatment(catalog, org, manager):
    risk = f.risk(org)
    with pytest.raises(RiskError, match="treatment option"):
        treatment.set_treatment(risk, actor=manager.user, option="ignore")
    assert Risk.objects.get(pk=risk.pk).treatment_option == ""

    treatment.set_treatment(risk, actor=manager.user, option="modify", plan="Retrain")
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.treatment_option, stored.status) == ("modify", "in_treatment")
    # The same choice again changes nothing and records nothing more.
    treatment.set_treatment(stored, actor=manager.user, option="modify", plan="Retrain")
    assert len(_events(risk, "risk.treatment_set")) == 1


def test_a_residual_score_needs_a_treatment_first(catalog, org, manager):
    risk = f.risk(org)
    with pytest.raises(RiskError, match="treatment option before"):
        treatment.assess_residual(risk, actor=manager.user, likelihood=2, consequence=2)
    assert Risk.objects.get(pk=risk.pk).residual_level in (None, "")


def test_an_action_needs_a_title_and_its_status_sets_the_completion_date(catalog, org, manager):
    risk = f.risk(org)
    with pytest.raises(RiskError, match="title"):
        treatment.add_action(risk, actor=manager.user, title="   ")
    assert TreatmentAction.objects.filter(risk=risk).count() == 0

    action = treatment.add_action(
        risk, actor=manager.user, title=" Rebalance data ", due_date=dt.date(2027, 1, 31)
    )
    assert action.title == "Rebalance data" and action.status == "open"

    with pytest.raises(RiskError, match="Status must be one of"):
        treatment.update_action(action, actor=manager.user, status="finished")
    assert TreatmentAction.objects.get(pk=action.pk).status == "open"

    before = timezone.now()
    treatment.update_action(action, actor=manager.user, status="done")
    done = TreatmentAction.objects.get(pk=action.pk)
    assert done.status == "done" and done.completed_at >= before
    # Reopened, it is no longer complete.
    treatment.update_action(done, actor=manager.user, status="in_progress")
    assert TreatmentAction.objects.get(pk=action.pk).completed_at is None
    statuses = [c["status"] for c in _events(action, "treatment_action.updated")]
    assert statuses == [["open", "done"], ["done", "in_progress"]]


def test_an_action_takes_only_its_own_fields(catalog, org, manager):
    action = treatment.add_action(f.risk(org), actor=manager.user, title="Review")
    with pytest.raises(TypeError):
        treatment.update_action(action, actor=manager.user, risk=None)


def test_selecting_and_deselecting_a_control_is_recorded_on_the_risk(catalog, org, manager):
    risk = f.risk(org)
    control = f.node("A.6.2.4")
    with pytest.raises(RiskError, match="either"):
        treatment.select_control(risk, actor=manager.user)
    with pytest.raises(RiskError, match="is not a control"):
        treatment.select_control(risk, actor=manager.user, node=f.node("6.1.2"))

    selection = treatment.select_control(risk, actor=manager.user, node=control)
    with pytest.raises(RiskError, match="already selects"):
        treatment.select_control(risk, actor=manager.user, node=control)
    assert SelectedControl.objects.filter(risk=risk).count() == 1

    label = str(selection)
    treatment.deselect_control(selection, actor=manager.user)
    assert SelectedControl.objects.filter(risk=risk).count() == 0
    assert _events(risk, "risk.control_selected") == [{"control": [None, label]}]
    assert _events(risk, "risk.control_deselected") == [{"control": [label, None]}]


def test_another_organisations_own_control_cannot_be_selected(catalog, org, other_org, manager):
    from aimwell.controls import services as controls

    theirs = controls.create_custom_control(other_org, actor="t", code="X-1", title="Theirs")
    risk = f.risk(org)
    with pytest.raises(RiskError, match="not in this organisation"):
        treatment.select_control(risk, actor=manager.user, custom=theirs)
    assert SelectedControl.objects.filter(risk=risk).count() == 0
