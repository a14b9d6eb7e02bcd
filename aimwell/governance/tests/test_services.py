"""Governance services: one accountable person per subject, principle links within the
organisation, a decision belongs to a meeting of its own body; each refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.core.models import AuditEvent
from aimwell.governance import services as gov
from aimwell.governance.errors import GovernanceError
from aimwell.governance.models import PrincipleLink, RaciEntry


def _events(org, action):
    return list(AuditEvent.objects.filter(organisation=org, action=action))


def test_raci_has_one_accountable_per_subject(org, admin, manager, systems):
    gov.set_raci(org, member=admin.membership, letter="A", system=systems["credit"], actor="t")
    with pytest.raises(GovernanceError, match="already has an accountable person"):
        gov.set_raci(
            org, member=manager.membership, letter="A", system=systems["credit"], actor="t"
        )
    gov.set_raci(org, member=manager.membership, letter="R", system=systems["credit"], actor="t")
    # One letter per cell: setting again changes the letter.
    gov.set_raci(org, member=manager.membership, letter="C", system=systems["credit"], actor="t")
    assert RaciEntry.objects.get(member=manager.membership).letter == "C"
    with pytest.raises(GovernanceError, match="either an AI system or an AIMS process"):
        gov.set_raci(org, member=admin.membership, letter="R", actor="t")
    with pytest.raises(GovernanceError, match="Unknown AIMS process"):
        gov.set_raci(org, member=admin.membership, letter="R", process="juggling", actor="t")
    gov.set_raci(org, member=admin.membership, letter="A", process="risk_management", actor="t")
    assert RaciEntry.objects.filter(organisation=org).count() == 3


def test_principle_links_to_any_object_of_the_organisation(org, other_org, systems):
    principle = gov.create_principle(org, name="Fairness", statement="Fair to all.", actor="t")
    link = gov.link_principle(principle, systems["credit"], actor="t")
    assert gov.link_principle(principle, systems["credit"], actor="t") == link
    assert list(gov.principles_linked_to(systems["credit"])) == [principle]
    target = gov.resolve_link_target(org, "inventory.aisystem", str(systems["chatbot"].pk))
    assert target == systems["chatbot"]
    with pytest.raises(GovernanceError, match="Unknown object type"):
        gov.resolve_link_target(org, "nothing.here", "1")
    with pytest.raises(GovernanceError, match=r"No inventory\.aisystem"):
        gov.resolve_link_target(org, "inventory.aisystem", "not-a-uuid")
    with pytest.raises(GovernanceError, match="cannot be linked"):
        gov.resolve_link_target(org, "accounts.user", "x")
    gov.unlink_principle(link, actor="t")
    assert not PrincipleLink.objects.exists()


def test_decision_must_belong_to_the_meeting_of_its_body(org, admin):
    ethics = gov.create_body(org, name="AI ethics committee", kind="ethics_committee", actor="t")
    other = gov.create_body(org, name="Risk committee", kind="risk_committee", actor="t")
    meeting = gov.record_meeting(other, held_on=dt.date(2026, 1, 5), actor="t")
    with pytest.raises(GovernanceError, match="not one of this body's"):
        gov.record_decision(
            ethics, text="Pause", decided_on=dt.date(2026, 1, 5), meeting=meeting, actor="t"
        )
    decision = gov.record_decision(
        other,
        text="Pause CV screening",
        decided_on=dt.date(2026, 1, 5),
        meeting=meeting,
        follow_up_owner=admin.membership,
        due_date=dt.date(2026, 2, 1),
        actor="t",
    )
    gov.update_decision(decision, status="done", actor="t")
    assert _events(org, "decision.updated")
