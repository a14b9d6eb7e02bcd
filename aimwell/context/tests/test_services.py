"""Services: every write records an audit event with the changed fields; refused writes say why
and write nothing."""

from __future__ import annotations

import json

import pytest

from aimwell.context.errors import ContextError
from aimwell.context.models import ContextIssue
from aimwell.context.services import context as services
from aimwell.core.models import AuditEvent
from aimwell.governance import services as gov
from aimwell.governance.errors import GovernanceError
from aimwell.governance.models import AIMSRole


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
    # Governance's registers share the writer and refuse with their own error.
    with pytest.raises(GovernanceError, match=r"holders: .* not part of this organisation"):
        gov.create_aims_role(org, name="Lead", holders=[outsider.membership], actor="t")
    assert not AIMSRole.objects.filter(organisation=org).exists()


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
