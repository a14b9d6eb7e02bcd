"""The demo fills Meridian Lending's context and an approved scope, idempotently."""

from __future__ import annotations

from aimwell.context.models import (
    Applicability,
    ContextIssue,
    InterestedParty,
    LegalRequirement,
    OrganisationAIRole,
    ScopeVersion,
)
from aimwell.core.models import AuditEvent
from aimwell.demo import load_demo
from aimwell.inventory.models import AISystem


def test_demo_context_is_complete_and_idempotent(demo_org):
    org = demo_org
    assert ContextIssue.objects.filter(organisation=org, kind="external").count() >= 5
    assert InterestedParty.objects.filter(organisation=org, is_requirement=True).count() >= 5
    names = set(LegalRequirement.objects.filter(organisation=org).values_list("name", flat=True))
    assert {"General Data Protection Regulation (GDPR)", "EU AI Act"} <= names
    assert any("contract" in k for k in LegalRequirement.objects.values_list("kind", flat=True))
    assert OrganisationAIRole.objects.filter(organisation=org).count() == 3
    v1 = ScopeVersion.objects.get(organisation=org, number=1)
    assert v1.status == "approved"
    systems = AISystem.objects.filter(organisation=org)
    for system in systems.filter(in_scope=True):
        assert system.name in v1.text
    if systems.exists():
        assert Applicability.objects.filter(organisation=org).exists()
    events = AuditEvent.objects.filter(organisation=org).count()
    load_demo()
    assert AuditEvent.objects.filter(organisation=org).count() == events
    assert ScopeVersion.objects.filter(organisation=org).count() == 1
