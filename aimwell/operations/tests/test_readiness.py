"""Open nonconformities, training and internal-audit coverage feed the readiness score."""

from __future__ import annotations

import pytest

from aimwell.improvement import services as improvement
from aimwell.internal_audit import services as audits
from aimwell.operations.tests.factories import TODAY, node

pytestmark = pytest.mark.usefixtures("catalog")


def test_open_nonconformities_training_and_audits_feed_readiness(org, manager, contributor):
    from aimwell.competence import services as training
    from aimwell.controls import hooks

    nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Gap",
        description="d",
        source="other",
        requirement=node("9.1"),
    )
    labels = [n.label for n in hooks.open_nonconformities(org)]
    assert f"{nc.reference} Gap (minor)" in labels
    training.install_library(org, actor="t")
    progress = hooks.stage_progress(4, org)
    assert progress is not None and progress.percent == 0
    assert hooks.stage_progress(6, org) is None  # no audit yet: readiness uses its own view
    audit = audits.create_audit(
        org,
        actor="t",
        title="Monitoring",
        scope="9.1",
        planned_start=TODAY,
        planned_end=TODAY,
        lead_auditor=manager.user,
        requirements=[node("9.1")],
    )
    audits.start_audit(audit, actor="t")
    for item in audit.checklist.all():
        audits.assess(item, actor="t", result="conforming")
    audits.issue_report(audit, actor="t", conclusion="Fine")
    audit_stage = hooks.stage_progress(6, org)
    assert audit_stage is not None and audit_stage.percent > 0
