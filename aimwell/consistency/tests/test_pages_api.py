"""The pre-audit check page, API and acknowledgements: who sees what, filters, and an
acknowledged finding staying visible as such (audited)."""

from __future__ import annotations

import pytest

from aimwell.consistency import services
from aimwell.consistency.models import Acknowledgement
from aimwell.consistency.tests.builders import days, system
from aimwell.core.models import AuditEvent
from aimwell.improvement import services as improvement

URL = "/pre-audit-check/"
API = "/api/v1/pre-audit-check"


@pytest.fixture
def contradiction(org, manager, catalog):
    nc = improvement.raise_nonconformity(
        org, actor=manager.user, title="NC", description="d", source="audit", raised_on=days(0)
    )
    improvement.record_correction(nc, actor=manager.user, correction="c", done_on=days(-2))
    system(org, owner=None)
    return nc


def test_page_groups_by_clause_and_filters(manager, contradiction):
    page = manager.client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "ISO/IEC 42001 10.2" in body and contradiction.reference in body
    assert "has no owner" in body
    only_time = manager.client.get(URL + "?severity=major&area=time").content.decode()
    assert contradiction.reference in only_time and "has no owner" not in only_time


def test_api_reports_findings_with_counts_and_filters(manager, contradiction):
    data = manager.api("GET", API).json()
    keys = {f["rule"] for f in data["findings"]}
    assert {"nc-dates-out-of-order", "system-without-owner", "system-unclassified"} <= keys
    nc = next(f for f in data["findings"] if f["rule"] == "nc-dates-out-of-order")
    assert nc["severity"] == "major" and nc["clause"] == "ISO/IEC 42001 10.2"
    assert nc["records"][0]["label"] == contradiction.reference
    assert nc["fix_url"] == f"/operations/nonconformities/{contradiction.pk}/"
    filtered = manager.api("GET", API + "?area=time").json()["findings"]
    assert {f["rule"] for f in filtered} == {"nc-dates-out-of-order"}
    assert manager.api("GET", API + "?severity=huge").status_code == 400


def test_external_auditor_and_staff_do_not_see_it(staff, external_auditor, contradiction):
    assert staff.client.get(URL).status_code == 403
    assert staff.api("GET", API).status_code == 403
    assert external_auditor.api("GET", API).status_code == 403


def test_outsider_sees_only_their_own_organisation(outsider, contradiction):
    data = outsider.api("GET", API).json()
    assert data["organisation"] == "elsewhere"
    assert all(contradiction.reference not in f["message"] for f in data["findings"])
    key = f"nc-dates-out-of-order:{contradiction.pk}"
    answer = outsider.api("POST", API + "/acknowledgements", {"finding": key, "reason": "x"})
    assert answer.status_code == 400


def test_acknowledge_keeps_the_finding_visible_and_audited(
    org, manager, contributor, contradiction
):
    key = f"nc-dates-out-of-order:{contradiction.pk}"
    refused = contributor.api("POST", API + "/acknowledgements", {"finding": key, "reason": "x"})
    assert refused.status_code == 403
    empty = manager.api("POST", API + "/acknowledgements", {"finding": key, "reason": " "})
    assert empty.status_code == 400
    made = manager.api(
        "POST", API + "/acknowledgements", {"finding": key, "reason": "Legacy record, migrated."}
    )
    assert made.status_code == 201, made.content
    finding = next(f for f in manager.api("GET", API).json()["findings"] if f["key"] == key)
    assert finding["acknowledged"] is True
    assert finding["acknowledgement"]["reason"] == "Legacy record, migrated."
    data = manager.api("GET", API).json()
    assert data["counts"]["acknowledged"] == 1
    assert "Acknowledged" in manager.client.get(URL).content.decode()
    assert AuditEvent.objects.filter(action="consistency.acknowledged").count() == 1
    again = manager.api("POST", API + "/acknowledgements", {"finding": key, "reason": "twice"})
    assert again.status_code == 400
    ack = Acknowledgement.objects.get()
    assert manager.api("DELETE", f"{API}/acknowledgements/{ack.pk}").status_code == 204
    assert AuditEvent.objects.filter(action="consistency.acknowledgement_withdrawn").count() == 1
    assert manager.api("GET", API).json()["counts"]["acknowledged"] == 0


def test_acknowledging_a_fixed_finding_is_refused(org, manager, contradiction):
    with pytest.raises(services.ConsistencyError):
        services.acknowledge(
            org,
            "nc-dates-out-of-order:nothing",
            reason="r",
            actor=manager.user,
            membership=manager.membership,
        )


def test_page_acknowledge_form(manager, contradiction):
    key = f"nc-dates-out-of-order:{contradiction.pk}"
    answer = manager.post(URL + "acknowledge/", {"finding": key, "reason": "Known, migrating."})
    assert answer.status_code == 302
    assert "Known, migrating." in manager.client.get(URL).content.decode()


def test_home_counts_open_findings_and_leads_to_the_major_one(manager, contradiction):
    import re

    from django.utils.html import escape

    from aimwell.consistency import engine

    page = manager.client.get("/").content.decode()
    report = engine.run(contradiction.organisation, exclude={"readiness-trend-stale"})
    counts = report.counts()
    assert f"{counts['major'] + counts['minor']} open major or minor pre-audit findings" in page
    # A major finding (the first in clause order) is the next action, linked to its fix.
    majors = [f for f in report.open_findings() if f.severity.value == "major"]
    assert contradiction.reference in " ".join(f.message for f in majors)
    action = re.search(r'href="([^"]+)" id="next-action">([^<]+)</a>', page)
    assert action is not None
    assert (action.group(1), action.group(2)) == (majors[0].fix_url, escape(majors[0].message))
    assert "would raise it as a major nonconformity" in page
