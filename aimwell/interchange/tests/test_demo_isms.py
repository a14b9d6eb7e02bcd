"""The demo organisation's ISMS baseline: its 27001 SoA is imported by the product's importer, the
gap analysis shows the ISMS controls under the 42001 controls they cover and reuses their evidence,
and loading the demo again changes nothing."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from aimwell.cli import app
from aimwell.controls import readiness
from aimwell.core.models import AuditEvent
from aimwell.demo import load_demo
from aimwell.interchange.models import IsmsControl


def test_the_demo_runs_an_isms_whose_controls_show_in_the_gap_analysis(demo_org):
    org = demo_org
    # ISO/IEC 27001:2022 Annex A has 93 controls; Meridian applies them all, three not yet done.
    baseline = IsmsControl.objects.filter(organisation=org)
    assert baseline.count() == 93
    assert baseline.filter(applicable=True).count() == 93
    not_done = baseline.exclude(status="implemented").values_list("node__ref_id", flat=True)
    assert sorted(not_done) == ["5.23", "8.12", "8.28"]
    assert AuditEvent.objects.filter(organisation_id=org.pk, action="isms.imported").count() == 93

    report = readiness.compute(org, with_trend=False)
    items = {i.ref: i for i in report.items}
    (policy,) = items["A.2.2"].isms
    assert policy.ref == "5.1" and policy.status == "implemented"
    # The policy set linked to 27001 5.1, current.
    assert (policy.evidence_current, policy.evidence_stale) == (1, 0)
    # A.6.2.5 (deployment) reuses the change board's minutes kept for 27001 8.32.
    assert "8.32" in {c.ref for c in items["A.6.2.5"].isms}
    assert items["A.6.2.5"].evidence_from_isms

    printed = CliRunner().invoke(app, ["readiness", "--json", "--organisation", org.slug])
    assert printed.exit_code == 0, printed.output
    controls = {c["ref"]: c for c in json.loads(printed.output)["controls"]}
    assert "Change advisory board minutes" in {
        c["evidence"] for c in controls["A.6.2.5"]["isms"] if c["ref"] == "8.32"
    }

    events = AuditEvent.objects.filter(organisation_id=org.pk).count()
    again = load_demo()
    assert not [c for c in again.created if "ISMS" in c or "Supplier security" in c]
    assert AuditEvent.objects.filter(organisation_id=org.pk).count() == events
