"""The loop and the refusals through the API and the pages, anonymity of concerns, the quiz,
the serious-incident countdown, and query counts of every list that stay flat as rows grow."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.core.models import AuditEvent
from aimwell.operations.models import Concern, Nonconformity
from aimwell.operations.services import (
    audits,
    improvement,
    incidents,
    objectives,
    reviews,
    training,
)
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


def test_anonymous_concerns_leave_no_trace_of_the_reporter(org, staff, manager):
    r = staff.api(
        "POST", f"{API}/concerns", {"category": "bias", "description": "Unfair", "anonymous": True}
    )
    assert r.status_code == 201
    code = r.json()["follow_up_code"]
    concern = Concern.objects.get(pk=r.json()["id"])
    assert concern.reporter is None
    events = AuditEvent.objects.filter(object_id=str(concern.pk))
    assert {e.actor_label for e in events} == {"anonymous reporter"}
    assert all(e.actor_id is None for e in events)
    detail = manager.api("GET", f"{API}/concerns/{concern.pk}").json()
    assert detail["reporter"] is None and detail["is_anonymous"] is True
    assert staff.api("GET", f"{API}/concerns/mine").json() == []
    manager.api(
        "POST",
        f"{API}/concerns/{concern.pk}/triage",
        {"status": "closed", "outcome": "Model retrained"},
    )
    status = staff.api("POST", f"{API}/concerns/status", {"code": code}).json()
    assert status["outcome"] == "Model retrained" and "reporter" not in status
    assert staff.api("GET", f"{API}/concerns/{concern.pk}").status_code == 403


def test_serious_incident_countdown_shows_on_the_page(org, manager, contributor):
    incident = incidents.record_incident(
        org,
        actor=manager.user,
        title="Death linked to triage advice",
        description="d",
        severity="critical",
        is_serious=True,
        serious_kind="death",
        owner=contributor.user,
    )
    page = manager.client.get(f"/operations/incidents/{incident.pk}/").content.decode()
    assert "10 days" in page and "10 days left" in page
    api = manager.api("GET", f"{API}/incidents/{incident.pk}").json()
    assert api["days_to_report"] == 10


def test_a_member_takes_a_quiz_and_gaps_follow(org, staff, manager):
    training.install_library(org, actor="t")
    gaps = manager.api("GET", f"{API}/training-gaps").json()
    staff_row = next(p for p in gaps["people"] if p["user"]["email"] == staff.user.email)
    assert {g["state"] for g in staff_row["gaps"]} == {"missing"}
    course = staff.api("GET", f"{API}/trainings").json()["items"]
    foundations = next(c for c in course if c["key"] == "aims-foundations")
    detail = staff.api("GET", f"{API}/trainings/{foundations['id']}").json()
    assert "answer" not in str(detail["questions"])
    failed = staff.api(
        "POST", f"{API}/trainings/{foundations['id']}/quiz", {"answers": [0, 1, 0, 0]}
    ).json()
    assert failed["passed"] is False
    passed = staff.api(
        "POST", f"{API}/trainings/{foundations['id']}/quiz", {"answers": [1, 0, 1, 2]}
    ).json()
    assert passed["passed"] is True and passed["score"] == 100
    gaps = manager.api("GET", f"{API}/training-gaps").json()
    staff_row = next(p for p in gaps["people"] if p["user"]["email"] == staff.user.email)
    assert foundations["id"] not in [g["course_id"] for g in staff_row["gaps"]]


def test_notifications_are_personal(org, manager, contributor):
    nc = improvement.raise_nonconformity(
        org,
        actor=manager.user,
        title="Gap",
        description="d",
        source="other",
        owner=contributor.user,
    )
    mine = contributor.api("GET", f"{API}/notifications").json()
    assert mine["unread"] == 1 and str(nc.pk) in mine["items"][0]["url"]
    assert manager.api("GET", f"{API}/notifications").json()["count"] == 0
    note = mine["items"][0]["id"]
    assert manager.api("POST", f"{API}/notifications/{note}/read").status_code == 404
    assert contributor.api("POST", f"{API}/notifications/{note}/read").json()["read_at"]
    page = contributor.client.get("/operations/notifications/").content.decode()
    assert nc.reference in page


_n = itertools.count()


def _grow(org, users):
    manager, contributor, auditor = users
    for _ in range(2):
        i = next(_n)
        s = system(org, name=f"Sys {i}", owner=contributor)
        audit = audits.create_audit(
            org,
            actor="t",
            title=f"A{i}",
            scope="s",
            planned_start=dt.date(2026, 1, 1),
            planned_end=dt.date(2026, 1, 2),
            lead_auditor=auditor,
            requirements=[node("9.1")],
            systems=[s],
        )
        audits.start_audit(audit, actor="t")
        finding = audits.add_finding(
            audit,
            actor="t",
            kind="minor_nc",
            title=f"F{i}",
            description="d",
            owner=contributor,
            system=s,
        )
        nc: Nonconformity = finding.nonconformity
        improvement.record_root_cause(nc, actor="t", root_cause="c")
        improvement.add_corrective_action(
            nc, actor="t", title=f"Act {i}", owner=contributor, due_date=dt.date(2026, 1, 5)
        )
        review = reviews.plan_review(
            org, actor="t", title=f"R{i}", planned_on=dt.date(2026, 2, 1), chair=manager
        )
        improvement.add_review_action(
            review, actor="t", title=f"RA{i}", owner=manager, due_date=dt.date(2026, 2, 9)
        )
        incidents.record_incident(
            org,
            actor="t",
            title=f"I{i}",
            description="d",
            severity="high",
            systems=[s],
            owner=contributor,
            is_serious=True,
            serious_kind="health",
        )
        incidents.report_concern(
            org, reporter=contributor, category="bias", description="d", system=s
        )
        objective = objectives.create_objective(
            org,
            actor="t",
            title=f"O{i}",
            measure="m",
            target=1,
            due_date=dt.date(2026, 9, 1),
            owner=contributor,
            systems=[s],
        )
        objectives.record_measurement(objective, actor="t", value=0.5)
        course = training.create_course(org, actor="t", key=f"c{i}", title=f"C{i}")
        training.record_training(course, contributor, actor="t", completed_on=dt.date(2026, 1, 1))
        audits.create_programme(
            org,
            actor="t",
            title=f"P{i}",
            cycle_start=dt.date(2026, 1, 1),
            cycle_end=dt.date(2026, 12, 31),
        )


LISTS = [
    "/operations/",
    "/operations/programmes/",
    "/operations/audits/",
    "/operations/nonconformities/",
    "/operations/actions/",
    "/operations/reviews/",
    "/operations/incidents/",
    "/operations/concerns/",
    "/operations/objectives/",
    "/operations/training/",
    "/operations/training/matrix/",
    "/operations/notifications/",
    f"{API}/audit-programmes",
    f"{API}/audits",
    f"{API}/findings",
    f"{API}/nonconformities",
    f"{API}/actions",
    f"{API}/management-reviews",
    f"{API}/incidents",
    f"{API}/concerns",
    f"{API}/concerns/mine",
    f"{API}/ai-objectives",
    f"{API}/trainings",
    f"{API}/training-records",
    f"{API}/training-gaps",
    f"{API}/notifications",
]


@pytest.mark.parametrize("url", LISTS)
def test_list_query_counts_do_not_grow_with_rows(url, org, manager, contributor, internal_auditor):
    users = (manager.user, contributor.user, internal_auditor.user)

    def get():
        call = manager.api if url.startswith("/api/") else None
        response = call("GET", url) if call else manager.client.get(url)
        assert response.status_code == 200
        return response

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            get()
        return len(captured)

    _grow(org, users)
    get()
    few = count()
    _grow(org, users)
    _grow(org, users)
    assert count() == few, url


def test_edit_pages_change_through_the_services(org, manager, internal_auditor, contributor):
    audit = audits.create_audit(
        org,
        actor="t",
        title="Plan",
        scope="9.1",
        planned_start=dt.date(2026, 3, 1),
        planned_end=dt.date(2026, 3, 2),
        lead_auditor=internal_auditor.user,
        requirements=[node("9.1")],
    )
    r = internal_auditor.post(
        f"/operations/audits/{audit.pk}/edit/",
        {
            "title": "Plan B",
            "scope": "9.1 and 9.2",
            "criteria": "ISO/IEC 42001",
            "planned_start": "2026-03-01",
            "planned_end": "2026-03-04",
            "lead_auditor": str(internal_auditor.user.pk),
            "requirements": [str(node("9.1").pk), str(node("10.2").pk)],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    audit.refresh_from_db()
    assert audit.title == "Plan B" and audit.requirements.count() == 2
    assert audit.checklist.count() == len(node("9.1").audit_questions) + len(
        node("10.2").audit_questions
    )
    r = manager.post(
        "/operations/training/courses/new/",
        {
            "key": "fairness-testing",
            "title": "Fairness testing",
            "pass_mark": 80,
            "validity_months": 12,
            "roles": ["contributor"],
            "quiz": '[{"question": "Q?", "options": ["a", "b"], "answer": 1}]',
        },
    )
    assert r.status_code == 302
    bad = manager.post(
        "/operations/training/courses/new/",
        {
            "key": "bad-quiz",
            "title": "Bad",
            "pass_mark": 80,
            "validity_months": 12,
            "quiz": '[{"question": "Q?", "options": ["only one"], "answer": 0}]',
        },
    )
    assert bad.status_code == 200 and "two or more options" in bad.content.decode()


def test_staff_see_only_what_they_may_use(org, staff, manager):
    page = staff.client.get("/operations/").content.decode()
    assert "Report a concern" in page and "My concerns" in page
    assert "/operations/audits/" not in page and '/operations/concerns/"' not in page
    assert '/operations/concerns/"' in manager.client.get("/operations/").content.decode()
