"""The audit loop and the refusals through the API, and the pages from checklist to PDF report."""

from __future__ import annotations

import datetime as dt

import pytest

from aimwell.internal_audit import services as audits
from aimwell.operations.tests.factories import node, system

pytestmark = pytest.mark.usefixtures("catalog")
API = "/api/v1"


def test_the_loop_through_the_api(org, internal_auditor, contributor, manager):
    credit = system(org, owner=contributor.user)
    r = internal_auditor.api(
        "POST",
        f"{API}/audits",
        {
            "title": "Lifecycle",
            "scope": "Clause 8",
            "planned_start": "2026-03-01",
            "planned_end": "2026-03-03",
            "lead_auditor_email": internal_auditor.user.email,
            "requirement_urns": ["iso42001:2023:A.6.2.6"],
            "system_ids": [str(credit.pk)],
        },
    )
    assert r.status_code == 201, r.json()
    audit = r.json()
    assert len(audit["checklist"]) == len(node("A.6.2.6").audit_questions)
    assert internal_auditor.api("POST", f"{API}/audits/{audit['id']}/start").status_code == 200
    r = internal_auditor.api(
        "POST",
        f"{API}/audits/{audit['id']}/findings",
        {
            "kind": "major_nc",
            "title": "No monitoring",
            "description": "None since release",
            "requirement_urn": "iso42001:2023:A.6.2.6",
            "system_id": str(credit.pk),
            "evidence_reviewed": "Dashboard",
        },
    )
    nc_id = r.json()["nonconformity_id"]
    base = f"{API}/nonconformities/{nc_id}"
    closing = manager.api("POST", f"{base}/close", {})
    assert closing.status_code == 400 and "effective" in closing.json()["message"]
    r = contributor.api("POST", f"{base}/correction", {"correction": "Weekly check"})
    assert r.status_code == 200
    r = contributor.api("POST", f"{base}/root-cause", {"root_cause": "Not in checklist"})
    assert r.status_code == 200
    action = contributor.api("POST", f"{base}/actions", {"title": "Fix checklist"}).json()
    r = contributor.api("POST", f"{API}/actions/{action['id']}/complete", {})
    assert r.status_code == 200 and r.json()["status"] == "done"
    own = contributor.api("POST", f"{base}/verification", {"result": "effective", "notes": "x"})
    assert own.status_code == 400 and "cannot verify their own" in own.json()["message"]
    r = internal_auditor.api(
        "POST", f"{base}/verification", {"result": "effective", "notes": "3 releases"}
    )
    assert r.json()["verification_result"] == "effective"
    r = manager.api("POST", f"{base}/close", {})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    listing = manager.api("GET", f"{API}/nonconformities?status=closed").json()
    assert [n["id"] for n in listing["items"]] == [nc_id]


def test_an_owner_named_as_auditor_is_refused_with_a_clear_message(org, manager, contributor):
    r = manager.api(
        "POST",
        f"{API}/audits",
        {
            "title": "Lifecycle",
            "scope": "Clause 8",
            "planned_start": "2026-03-01",
            "planned_end": "2026-03-03",
            "lead_auditor_email": contributor.user.email,
            "requirement_urns": ["iso42001:2023:8.1"],
        },
    )
    assert r.status_code == 400
    assert "owns the ai lifecycle process" in r.json()["message"]
    page = manager.post(
        "/operations/audits/new/",
        {
            "title": "Lifecycle",
            "scope": "Clause 8",
            "planned_start": "2026-03-01",
            "planned_end": "2026-03-03",
            "lead_auditor": str(contributor.user.pk),
            "processes": ["ai_lifecycle"],
            "criteria": "ISO/IEC 42001",
        },
    )
    assert page.status_code == 200 and "cannot audit their own work" in page.content.decode()


def test_pages_walk_an_audit_from_checklist_to_pdf(org, internal_auditor, manager):
    audit = audits.create_audit(
        org,
        actor="t",
        title="Monitoring",
        scope="9.1",
        planned_start=dt.date(2026, 3, 1),
        planned_end=dt.date(2026, 3, 2),
        lead_auditor=internal_auditor.user,
        requirements=[node("9.1")],
    )
    url = f"/operations/audits/{audit.pk}/"
    assert internal_auditor.post(url + "start/").status_code == 302
    for item in audit.checklist.all():
        r = internal_auditor.post(
            f"{url}items/{item.pk}/", {"result": "conforming"}, HTTP_HX_REQUEST="true"
        )
        assert r.status_code == 200 and "Conforming" in r.content.decode()
    r = internal_auditor.post(
        url + "finding/", {"kind": "ofi", "title": "Automate", "description": "Could be automated"}
    )
    assert r.status_code == 302
    assert (
        internal_auditor.post(url + "issue-report/", {"conclusion": "Effective"}).status_code == 302
    )
    page = manager.client.get(url + "report/")
    assert "Effective" in page.content.decode() and "Automate" in page.content.decode()
    pdf = manager.client.get(url + "report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
