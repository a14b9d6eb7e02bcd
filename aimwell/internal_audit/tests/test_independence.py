"""Auditors do not audit their own work (9.2.2): owners of an audited process or of a sampled
system are refused, and sampling leaves out the systems the auditor owns."""

from __future__ import annotations

import pytest

from aimwell.internal_audit import services as audits
from aimwell.operations.errors import OperationsError
from aimwell.operations.tests.factories import node, planned_audit, system

pytestmark = pytest.mark.usefixtures("catalog")


def test_an_auditor_who_owns_the_audited_process_is_refused(org, contributor, internal_auditor):
    # The contributor owns the AI lifecycle process; clause 8.1 belongs to it.
    with pytest.raises(OperationsError, match="owns the ai lifecycle process"):
        planned_audit(org, contributor)
    with pytest.raises(OperationsError, match="owns the ai lifecycle process"):
        planned_audit(
            org,
            internal_auditor,
            lead_auditor=contributor.user,
            requirements=[],
            processes=["ai_lifecycle"],
        )


def test_an_auditor_who_owns_a_sampled_system_is_refused(org, manager, internal_auditor):
    owned = system(org, name="Fraud detection", owner=manager.user)
    with pytest.raises(OperationsError, match="owns the AI system “Fraud detection”"):
        planned_audit(org, manager, requirements=[node("9.1")], systems=[owned])
    audit = planned_audit(org, internal_auditor, requirements=[node("9.1")], systems=[owned])
    with pytest.raises(OperationsError, match="owns the AI system"):
        audits.update_audit(audit, actor=manager.user, lead_auditor=manager.user)
    audit.refresh_from_db()
    assert audit.lead_auditor == internal_auditor.user


def test_sampling_leaves_out_systems_the_auditor_owns(org, manager, internal_auditor):
    for i in range(4):
        system(org, name=f"System {i}", owner=internal_auditor.user if i == 0 else manager.user)
    audit = planned_audit(org, internal_auditor, requirements=[node("9.1")])
    chosen = audits.sample_systems(audit, actor=internal_auditor.user, size=10, seed=7)
    assert sorted(s.name for s in chosen) == ["System 1", "System 2", "System 3"]
    again = planned_audit(org, internal_auditor, title="Repeat", requirements=[node("9.1")])
    assert audits.sample_systems(again, actor=internal_auditor.user, size=2, seed=7) == (
        audits.sample_systems(audit, actor=internal_auditor.user, size=2, seed=7)
    )
