"""The demo fills Meridian Lending's governance (principles, roles, RACI, the ethics committee,
the board's commitment), idempotently."""

from __future__ import annotations

from aimwell.core.models import AuditEvent
from aimwell.demo import load_demo
from aimwell.governance.models import (
    AIMSRole,
    Decision,
    LeadershipCommitment,
    Meeting,
    OversightBody,
    Principle,
    PrincipleLink,
    RaciEntry,
)
from aimwell.inventory.models import AISystem


def test_demo_governance_is_complete_and_idempotent(demo_org):
    org = demo_org
    assert Principle.objects.filter(organisation=org, status="adopted").count() == 5
    assert AIMSRole.objects.filter(organisation=org).count() == 4
    body = OversightBody.objects.get(organisation=org, name="AI ethics committee")
    assert Meeting.objects.filter(body=body).count() == 1
    # Three decisions of the Q3 meeting, one of them done.
    decisions = Decision.objects.filter(organisation=org)
    assert (decisions.count(), decisions.filter(status="done").count()) == (3, 1)
    assert LeadershipCommitment.objects.filter(organisation=org).count() == 1
    # 8 AIMS processes with 4, 3, 4, 3, 3, 3, 3 and 3 people: 26 process cells.
    assert RaciEntry.objects.filter(organisation=org, system__isnull=True).count() == 26
    systems = AISystem.objects.filter(organisation=org).count()
    if systems:
        assert RaciEntry.objects.filter(organisation=org, system__isnull=False).exists()
        # Fairness and transparency are linked to every AI system of the demo.
        assert PrincipleLink.objects.filter(organisation=org).count() == 2 * systems
    events = AuditEvent.objects.filter(organisation=org).count()
    load_demo()
    assert AuditEvent.objects.filter(organisation=org).count() == events
