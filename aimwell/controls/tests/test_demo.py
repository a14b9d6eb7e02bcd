"""Readiness and the SoA of the demo organisation, as a script reads them from the CLI."""

import json


def test_readiness_json_on_the_demo_organisation(demo_org):
    from typer.testing import CliRunner

    from aimwell.cli import app
    from aimwell.demo import load_demo

    result = CliRunner().invoke(app, ["readiness", "--json", "--organisation", "meridian-lending"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert 0 < data["score"] < 100
    assert {c["clause"] for c in data["clauses"]} == {"4", "5", "6", "7", "8", "9", "10"}
    assert len(data["top_gaps"]) == 10 and all(g["next_steps"] for g in data["top_gaps"])
    soa_out = CliRunner().invoke(
        app, ["soa", "show", "--json", "--organisation", "meridian-lending"]
    )
    rows = json.loads(soa_out.output)["rows"]
    annex = [r for r in rows if r["ref"].startswith("A.")]
    assert len(annex) == 38 and all(r["applicable"] is not None for r in annex)
    assert all(r["justification"] for r in annex)
    assert load_demo().created == []
