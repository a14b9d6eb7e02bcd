"""Services: every write records an audit event with the changed fields; refused writes say why
and write nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from aimwell.context.errors import ContextError
from aimwell.context.models import ContextIssue, PrincipleLink, RaciEntry
from aimwell.context.services import context as services
from aimwell.context.services import governance as gov
from aimwell.core.models import AuditEvent


def _events(org, action):
    return list(AuditEvent.objects.filter(organisation=org, action=action))


def test_create_update_delete_issue_record_events(org, admin, systems):
    issue = services.create_issue(
        org,
        title="EU AI Act applies from 2026",
        kind="external",
        category="legal",
        effect="High-risk duties for credit scoring",
        systems=[systems["credit"]],
        actor=admin.user,
    )
    created = _events(org, "context_issue.created")
    assert len(created) == 1
    assert json.loads(created[0].changes)["systems"] == [None, [str(systems["credit"].pk)]]

    services.update_issue(issue, effect="Changed", actor=admin.user)
    updated = _events(org, "context_issue.updated")
    assert json.loads(updated[0].changes) == {
        "effect": ["High-risk duties for credit scoring", "Changed"]
    }
    # Saving the same values again changes nothing and records nothing.
    services.update_issue(issue, effect="Changed", systems=[systems["credit"]], actor=admin.user)
    assert len(_events(org, "context_issue.updated")) == 1

    services.delete_issue(issue, actor=admin.user)
    assert not ContextIssue.objects.filter(pk=issue.pk).exists()
    assert len(_events(org, "context_issue.deleted")) == 1


def test_duplicate_name_is_refused_with_a_clear_message(org, admin):
    services.create_party(org, name="Borrowers", kind="external", category="customers", actor="t")
    with pytest.raises(ContextError, match='interested party with the name "borrowers"'):
        services.create_party(
            org, name="borrowers", kind="external", category="customers", actor="t"
        )
    assert _events(org, "interested_party.created").__len__() == 1


def test_invalid_choice_and_url_write_nothing(org):
    with pytest.raises(ContextError, match="Kind"):
        services.create_issue(org, title="X", kind="sideways", category="legal", actor="t")
    with pytest.raises(ContextError, match=r"(?i)url"):
        services.create_legal_requirement(org, name="GDPR", kind="law", url="not a url", actor="t")
    assert not ContextIssue.objects.filter(organisation=org).exists()
    assert not AuditEvent.objects.filter(organisation=org, action__startswith="context").exists()


def test_objects_of_another_organisation_are_refused(org, other_org, outsider, systems):
    from aimwell.inventory.models import AISystem

    foreign = AISystem.objects.create(organisation=other_org, name="Theirs", purpose="x")
    with pytest.raises(ContextError, match="not part of this organisation"):
        services.create_issue(
            org, title="X", kind="internal", category="social", systems=[foreign], actor="t"
        )
    with pytest.raises(ContextError, match=r"owner: .* not part of this organisation"):
        services.create_objective(org, title="Y", owner=outsider.user, actor="t")
    with pytest.raises(ContextError):
        gov.create_aims_role(org, name="Lead", holders=[outsider.membership], actor="t")


def test_ai_roles_are_declared_once_and_noted(org):
    services.set_ai_role(org, "ai_provider", note="We build credit models", actor="t")
    services.set_ai_role(org, "ai_provider", note="We build and sell credit models", actor="t")
    assert _events(org, "ai_role.updated")
    with pytest.raises(ContextError, match="Unknown AI role"):
        services.set_ai_role(org, "ai_overlord", actor="t")


def test_applicability_per_system(org, systems):
    gdpr = services.create_legal_requirement(org, name="GDPR", kind="regulation", actor="t")
    services.set_applicability(
        gdpr, systems["credit"], note="Art. 22 automated decisions", actor="t"
    )
    services.set_applicability(gdpr, systems["credit"], note="Art. 22 and Art. 35", actor="t")
    assert gdpr.applicability.get().note == "Art. 22 and Art. 35"
    assert len(_events(org, "legal_requirement.applies")) == 2
    services.remove_applicability(gdpr, systems["credit"], actor="t")
    assert not gdpr.applicability.exists()
    with pytest.raises(ContextError, match="not recorded"):
        services.remove_applicability(gdpr, systems["credit"], actor="t")


def test_raci_has_one_accountable_per_subject(org, admin, manager, systems):
    gov.set_raci(org, member=admin.membership, letter="A", system=systems["credit"], actor="t")
    with pytest.raises(ContextError, match="already has an accountable person"):
        gov.set_raci(
            org, member=manager.membership, letter="A", system=systems["credit"], actor="t"
        )
    gov.set_raci(org, member=manager.membership, letter="R", system=systems["credit"], actor="t")
    # One letter per cell: setting again changes the letter.
    gov.set_raci(org, member=manager.membership, letter="C", system=systems["credit"], actor="t")
    assert RaciEntry.objects.get(member=manager.membership).letter == "C"
    with pytest.raises(ContextError, match="either an AI system or an AIMS process"):
        gov.set_raci(org, member=admin.membership, letter="R", actor="t")
    with pytest.raises(ContextError, match="Unknown AIMS process"):
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
    with pytest.raises(ContextError, match="Unknown object type"):
        gov.resolve_link_target(org, "nothing.here", "1")
    with pytest.raises(ContextError, match=r"No inventory\.aisystem"):
        gov.resolve_link_target(org, "inventory.aisystem", "not-a-uuid")
    with pytest.raises(ContextError, match="cannot be linked"):
        gov.resolve_link_target(org, "accounts.user", "x")
    gov.unlink_principle(link, actor="t")
    assert not PrincipleLink.objects.exists()


def test_decision_must_belong_to_the_meeting_of_its_body(org, admin):
    ethics = gov.create_body(org, name="AI ethics committee", kind="ethics_committee", actor="t")
    other = gov.create_body(org, name="Risk committee", kind="risk_committee", actor="t")
    meeting = gov.record_meeting(other, held_on=dt.date(2026, 1, 5), actor="t")
    with pytest.raises(ContextError, match="not one of this body's"):
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
