"""A guest whose audit covers one AI system reads nothing of another system's risks and impact
assessments: not on the API, not on the pages, not in the exports (issue 16, Why 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.evidence import services as evidence
from aimwell.impact_assessments import services as impact
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db

OURS_RISK, THEIRS_RISK = "Ours: unfair refusals", "Theirs: fraud misses"
OURS_IMPACT, THEIRS_IMPACT = "Applicants of credit", "Account holders flagged"


@pytest.fixture
def world(org, manager, external_auditor):
    ours = factories.system(org, "Credit scoring")
    theirs = factories.system(org, "Fraud alerts")
    ours_risk = factories.risk(org, OURS_RISK, system=ours)
    theirs_risk = factories.risk(org, THEIRS_RISK, system=theirs)
    org_wide = factories.risk(org, "AIMS-wide: too few reviewers")
    ours_ia = impact.create_assessment(
        org, actor="t", system=ours, affected_individuals=OURS_IMPACT
    )
    theirs_ia = impact.create_assessment(
        org, actor="t", system=theirs, affected_individuals=THEIRS_IMPACT
    )
    project = services.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today,
        areas=[Area.RISKS, Area.SYSTEMS, Area.EVIDENCE],
        all_systems=False,
        systems=[ours],
    )
    workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )
    return {
        "ours": ours,
        "theirs": theirs,
        "ours_risk": ours_risk,
        "theirs_risk": theirs_risk,
        "org_wide": org_wide,
        "ours_ia": ours_ia,
        "theirs_ia": theirs_ia,
    }


def test_out_of_scope_risks_and_assessments_are_404_on_the_api(world, external_auditor, manager):
    guest = external_auditor
    listed = guest.api("GET", "/api/v1/risks?page_size=100").json()
    titles = {item["title"] for item in listed["items"]}
    assert titles == {OURS_RISK, "AIMS-wide: too few reviewers"}
    assert guest.api("GET", f"/api/v1/risks/{world['ours_risk'].pk}").status_code == 200
    assert guest.api("GET", f"/api/v1/risks/{world['theirs_risk'].pk}").status_code == 404
    assessments = guest.api("GET", "/api/v1/impact-assessments").json()
    assert {a["system_id"] for a in assessments} == {str(world["ours"].pk)}
    theirs_ia = world["theirs_ia"].pk
    assert guest.api("GET", f"/api/v1/impact-assessments/{theirs_ia}").status_code == 404
    assert guest.api("GET", f"/api/v1/impact-assessments/{world['ours_ia'].pk}").status_code == 200
    heat = guest.api("GET", "/api/v1/risks/heat-map").content.decode()
    assert THEIRS_RISK not in heat
    # A member of the organisation is not narrowed.
    assert manager.api("GET", f"/api/v1/risks/{world['theirs_risk'].pk}").status_code == 200


def test_out_of_scope_risks_and_assessments_are_404_on_the_pages(world, external_auditor):
    client = external_auditor.client
    register = client.get("/risks/").content.decode()
    assert OURS_RISK in register and THEIRS_RISK not in register
    assert client.get(f"/risks/{world['ours_risk'].pk}/").status_code == 200
    assert client.get(f"/risks/{world['theirs_risk'].pk}/").status_code == 404
    listing = client.get("/impact-assessments/").content.decode()
    assert "Fraud alerts" not in listing
    assert client.get(f"/impact-assessments/{world['theirs_ia'].pk}/").status_code == 404
    assert client.get(f"/impact-assessments/{world['ours_ia'].pk}/").status_code == 200
    system_page = client.get(f"/ai-systems/{world['theirs'].pk}/")
    assert system_page.status_code in (403, 404)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def test_out_of_scope_risks_are_left_out_of_every_export(world, external_auditor):
    client = external_auditor.client
    for url in ("/risks/export/?format=xlsx", "/api/v1/risks/export?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _xlsx_text(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        assert OURS_RISK in text and THEIRS_RISK not in text, url
    for url in ("/risks/export/?format=csv", "/api/v1/risks/export?format=csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        cells = {cell for row in rows for cell in row}
        assert OURS_RISK in cells and THEIRS_RISK not in cells, url


def test_evidence_linked_only_to_an_out_of_scope_system_is_hidden(
    world, org, manager, external_auditor
):
    def item(title: str, system) -> object:
        created = evidence.add_link(
            org, actor=manager.user, title=title, url="https://wiki.example/" + title
        )
        evidence.add_target_link(
            created, target_type="inventory.aisystem", target_id=system.pk, actor=manager.user
        )
        return created

    ours, theirs = item("Fairness test", world["ours"]), item("Fraud recall", world["theirs"])
    guest = external_auditor
    assert guest.api("GET", f"/api/v1/evidence/{ours.pk}").status_code == 200
    assert guest.api("GET", f"/api/v1/evidence/{theirs.pk}").status_code == 404
    assert manager.api("GET", f"/api/v1/evidence/{theirs.pk}").status_code == 200
