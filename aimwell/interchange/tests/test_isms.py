"""ISO/IEC 27001 reuse: the organisation's 27001 SoA imported as the ISMS baseline (CSV in the
common layout, or an OSCAL profile), and each 42001 control showing the ISMS controls that cover
part of it, with status and evidence; expected pairs are read from the crosswalk file itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimwell.interchange.models import IsmsControl
from aimwell.interchange.services import isms

CROSSWALK = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "catalog"
    / "crosswalks"
    / "iso42001-2023_iso27001-2022.yaml"
)
SOA_CSV = (
    "Control ID;Control title;Applicability;Implementation status;Justification;Evidence\n"
    "A.5.1;Policies;Yes;Implemented;Board approved;ISMS policy v3\n"
    "5.15;Access control;yes;partially implemented;;Access review 2026-Q3\n"
    "7.4;Physical monitoring;No;;Fully remote company;\n"
    "9.99;Not a control;yes;planned;;\n"
).replace(";", ",")


def _covered_by(target: str) -> set[str]:
    """42001 nodes the crosswalk file maps onto the 27001 control `target`."""
    data = yaml.safe_load(CROSSWALK.read_text(encoding="utf-8"))
    return {m["source"] for m in data["mappings"] if str(m["target"]) == target}


def test_a_27001_soa_in_the_common_layout_becomes_the_isms_baseline(catalog, org, manager):
    report = isms.import_isms_soa(org, SOA_CSV.encode(), "isms-soa.csv", actor="t")
    assert (report.created, report.updated) == (3, 0)
    assert report.skipped == ["9.99 (not an ISO/IEC 27001:2022 Annex A control)"]
    rows = {c.node.ref_id: c for c in IsmsControl.objects.filter(organisation=org)}
    assert (rows["5.1"].applicable, rows["5.1"].status, rows["5.1"].evidence) == (
        True,
        "implemented",
        "ISMS policy v3",
    )
    assert (rows["5.15"].status, rows["7.4"].applicable) == ("partial", False)
    again = isms.import_isms_soa(org, SOA_CSV.encode(), "isms-soa.csv", actor="t")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    covers = isms.coverage(org)
    expected = _covered_by("5.1")
    assert expected  # the crosswalk maps 42001 controls onto 27001 5.1
    for ref in expected:
        assert ("5.1", "implemented", "ISMS policy v3") in {
            (c.ref, c.status, c.evidence) for c in covers[ref]
        }
    assert set(covers) == _covered_by("5.1") | _covered_by("5.15") | _covered_by("7.4")

    ref = sorted(r for r in expected if r.startswith("A."))[0]
    page = manager.client.get(reverse("controls:home")).content.decode()
    assert "ISMS: 27001 5.1 implemented" in page
    entry = manager.client.get(reverse("controls:entry", args=[ref])).content.decode()
    assert "ISMS controls already covering part of it" in entry and "ISMS policy v3" in entry
    body = manager.api("GET", "/api/v1/isms/coverage").json()
    assert body[ref][0]["ref"] in {"5.1", "5.15", "7.4"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Title,Status\nPolicies,implemented\n", "no Control column"),
        ("Control,Status\n5.1,sometimes\n", "row 2: status 'sometimes'"),
        ("Control,Applicable\n5.1,perhaps\n", "row 2: applicable 'perhaps'"),
        ("Control,Status\n", "lists no control"),
    ],
)
def test_a_bad_27001_soa_imports_nothing(catalog, org, text, words):
    with pytest.raises(isms.IsmsImportError, match=words):
        isms.import_isms_soa(org, text.encode(), "soa.csv", actor="t")
    assert not IsmsControl.objects.filter(organisation=org).exists()


def test_an_oscal_profile_of_the_27001_soa_through_the_api_and_cli(catalog, org, manager, tmp_path):
    profile = {
        "profile": {
            "uuid": "0c0ffee0-0000-4000-8000-0000000000aa",
            "metadata": {"title": "ISMS SoA", "version": "1", "oscal-version": "1.1.3"},
            "imports": [
                {
                    "href": "#c",
                    "include-controls": [{"with-ids": ["n-5.1", "n-8.15"]}],
                    "exclude-controls": [{"with-ids": ["n-7.4"]}],
                }
            ],
            "modify": {
                "alters": [
                    {
                        "control-id": "n-8.15",
                        "adds": [
                            {
                                "props": [{"name": "implementation-status", "value": "partial"}],
                                "parts": [{"name": "soa-justification", "prose": "Logs kept."}],
                            }
                        ],
                    }
                ]
            },
        }
    }
    response = manager.client.post(
        "/api/v1/isms/import",
        {"file": SimpleUploadedFile("isms-profile.json", json.dumps(profile).encode())},
        HTTP_X_CSRFTOKEN=manager.csrf(),
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    rows = {c.node.ref_id: c for c in IsmsControl.objects.filter(organisation=org)}
    assert (rows["8.15"].status, rows["8.15"].justification) == ("partial", "Logs kept.")
    assert (rows["7.4"].applicable, rows["5.1"].applicable) == (False, True)

    from typer.testing import CliRunner

    from aimwell.cli import app

    path = tmp_path / "soa.csv"
    path.write_text("Control,Status\n5.1,sometimes\n")
    result = CliRunner().invoke(
        app, ["oscal", "import-isms", str(path), "--organisation", org.slug]
    )
    assert result.exit_code == 2 and "Nothing was imported" in result.output
