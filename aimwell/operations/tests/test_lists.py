"""Query counts of every operations list stay flat as rows grow; edit pages change records through
the services; staff see only what they may use."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aimwell.competence import services as training
from aimwell.improvement import services as improvement
from aimwell.improvement.models import Nonconformity
from aimwell.incidents import services as incidents
from aimwell.internal_audit import services as audits
from aimwell.management_review import services as reviews
from aimwell.objectives import services as objectives
from aimwell.operations.tests.factories import node, system

pytestmark = pytest.mark.usefixtures("catalog")
API = "/api/v1"
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
            "requirements": f"{node('9.1').urn} {node('10.2').urn}",  # the picker's URNs
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
