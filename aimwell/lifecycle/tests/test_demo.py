"""The demo organisation's life cycle, as an auditor reads it: readiness no longer lists the
life-cycle controls and 6.3 as gaps, the credit model's records hold together, the stage-1 pack
has a life-cycle section per system in scope, the CLI reads it, and the demo is idempotent."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from aimwell.cli import app


@pytest.fixture
def demo(demo_org):
    return demo_org


def test_demo_life_cycle(demo):
    from aimwell.change_control.models import ChangeRequest
    from aimwell.demo import load_demo
    from aimwell.inventory.models import AISystem, Dataset
    from aimwell.lifecycle import status
    from aimwell.lifecycle.models import VVResult
    from aimwell.reports.builders import pack_pdf
    from aimwell.reports.data import gather

    org = demo
    runner = CliRunner()

    # Readiness, from a script: 6.3 and the life-cycle controls are not gaps any more.
    result = runner.invoke(app, ["readiness", "--json", "--organisation", org.slug, "--top", "100"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    items = {i["ref"]: i for i in report["requirements"] + report["controls"]}
    gaps = {g["ref"] for g in report["top_gaps"]}
    for ref in ("6.3", "A.6.2.2", "A.6.2.3", "A.6.2.5"):
        assert ref not in gaps, (ref, items[ref]["checks"])
        assert items[ref]["status"] == "ready", (ref, items[ref]["checks"])

    # Every system has its records; the credit model's V&V holds a passed and an accepted
    # criterion, computed from its monitoring run, and its approval covers the model it runs.
    systems = list(AISystem.objects.filter(organisation=org).order_by("name"))
    assert len(systems) == 4
    entries = status.load(systems)
    for system in systems:
        entry = entries[system.pk]
        assert entry.requirements and entry.requirements.status == "approved", system.name
        assert entry.design and entry.design.status == "approved", system.name
        assert entry.logging is not None, system.name
    credit = next(s for s in systems if s.name == "Consumer credit scoring")
    entry = entries[credit.pk]
    assert entry.plan.is_frozen and entry.vv_outcome == "accepted"
    by_key = {c.criterion.key: c for c in entry.criteria}
    assert by_key["AC-1"].status == "passed" and by_key["AC-2"].status == "accepted"
    run = by_key["AC-1"].latest.monitor_run
    assert run is not None and by_key["AC-1"].latest.value == run.summary["roc_auc"]
    assert (by_key["AC-2"].latest.value < 0.72) is True
    assert entry.approval_state == "approved"
    assert entry.approval.model in list(credit.models_used.all())
    # A.6.2.5 counts the deployed systems whose approval covers the model they run.
    deployed = [s for s in systems if s.lifecycle_stage == "deployed" and s.in_scope]
    approved = [s for s in deployed if entries[s.pk].approval_state == "approved"]
    check = next(c for c in items["A.6.2.5"]["checks"] if c["label"].startswith("Deployed"))
    assert check["result"] == pytest.approx(len(approved) / len(deployed))
    for system in deployed:
        if system not in approved:  # the gate of a deployed system not approved is shut
            assert entries[system.pk].missing, system.name
    # Dates in order: criteria frozen before results were recorded; acceptance after the result.
    for result_row in VVResult.objects.filter(system=credit):
        assert entry.plan.frozen_at <= result_row.created_at
    assert by_key["AC-2"].acceptance.accepted_at >= by_key["AC-2"].latest.created_at
    assert entry.approval.approved_at >= by_key["AC-2"].acceptance.accepted_at
    in_flight = ChangeRequest.objects.get(organisation=org, system=credit)
    assert in_flight.status == "submitted"
    aims = ChangeRequest.objects.get(organisation=org, scope="aims")
    assert aims.submitted_at <= aims.decided_at and aims.decided_at.date() <= aims.implemented_on
    assert Dataset.objects.filter(organisation=org).exclude(provenance="").count() == 5

    # The system card's technical-documentation outline is filled from the records (A.6.2.7),
    # and the card was published again so its latest version is not out of date.
    from aimwell.transparency.cards import build_content, content_sha256
    from aimwell.transparency.models import CardVersion

    content = build_content(credit)
    outline = {section["title"].split(".")[0]: section for section in content["annex_iv"]}
    assert outline["2"]["status"] == "filled" and not outline["2"]["to_complete"]
    assert any(i.startswith("Architecture: Gradient-boosted trees") for i in outline["2"]["items"])
    assert any(i.startswith(f"{in_flight.reference} ") for i in outline["9"]["items"])
    assert outline["10"]["status"] == "filled"
    assert not outline["6"]["to_complete"]  # AC-4, a robustness criterion, passed
    latest = CardVersion.objects.filter(card__system=credit).order_by("-number").first()
    assert latest is not None and latest.sha256 == content_sha256(content)

    # The stage-1 pack: a life-cycle section per system in scope, read back from the PDF.
    pdf = pack_pdf(gather(org, generated_by="test"))
    pages = [p.extract_text().replace("\u200b", "") for p in PdfReader(io.BytesIO(pdf)).pages]
    text = " ".join(" ".join(pages).split())
    in_scope = [s for s in systems if s.in_scope]
    assert in_scope
    for system in in_scope:
        assert f"Life cycle: {system.name}" in pages[0]  # in the contents
        assert text.count(f"Life cycle: {system.name}") >= 2
    assert entry.plan.criteria_sha256[:16] in text.replace(" ", "")

    # The CLI, as a user runs it.
    shown = runner.invoke(app, ["lifecycle", "show", credit.name, "--organisation", org.slug])
    assert shown.exit_code == 0, shown.output
    assert "AC-2" in shown.output and "accepted" in shown.output
    gate = runner.invoke(app, ["lifecycle", "gate", credit.name, "--organisation", org.slug])
    assert gate.exit_code == 0, gate.output
    shut = runner.invoke(app, ["lifecycle", "gate", "CV screening", "--organisation", org.slug])
    assert shut.exit_code == 1 and "MISSING Impact assessment current" in shut.output
    listed = runner.invoke(app, ["changes", "list", "--json", "--organisation", org.slug])
    assert {c["status"] for c in json.loads(listed.output)} == {"implemented", "submitted"}

    # Idempotent: a second run creates nothing.
    assert load_demo().created == []
