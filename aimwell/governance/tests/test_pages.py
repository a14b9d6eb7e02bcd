"""Governance pages: the RACI matrix, an oversight body's meetings and decisions, a principle's
links, overdue decisions flagged, staff reading adopted principles only."""

from __future__ import annotations

import datetime as dt
import re

from aimwell.governance import services as gov
from aimwell.governance.models import RaciEntry
from aimwell.inventory.models import AISystem


def test_staff_read_adopted_principles_only(filled, staff):
    page = staff.client.get("/context/principles/")
    assert b"Fairness" in page.content and b"Secret draft" not in page.content
    assert staff.client.get("/context/issues/").status_code == 403
    home = staff.client.get("/context/")
    assert home.status_code == 200 and b"Legal register" not in home.content


def test_raci_matrix_page_and_form(org, manager, admin, systems):
    set_ = manager.post(
        "/context/raci/set/",
        {
            "system": str(systems["credit"].pk),
            "member": str(admin.membership.pk),
            "letter": "A",
        },
    )
    assert set_.status_code == 302
    page = manager.client.get("/context/raci/?axis=systems")
    assert b'<strong title="Accountable">A</strong>' in page.content
    assert b"no one accountable" in page.content  # the chatbot
    manager.post(
        "/context/raci/set/",
        {
            "system": str(systems["credit"].pk),
            "member": str(admin.membership.pk),
            "letter": "",
        },
    )
    assert not RaciEntry.objects.exists()
    processes = manager.client.get("/context/raci/?axis=processes")
    assert b"Risk management" in processes.content


def test_raci_entry_refuses_another_organisations_system_and_a_double_subject(
    org, other_org, manager, admin, systems
):
    theirs = AISystem.objects.create(organisation=other_org, name="Their system", purpose="x")
    page = manager.client.get("/context/raci/")
    # The system is searched by name (the picker's search box), never listed in a select.
    assert b"/ai-systems/pick/" in page.content
    assert b"Credit scoring</option>" not in page.content
    for posted in (
        {"system": str(theirs.pk)},
        {"system": str(systems["credit"].pk), "process": "monitoring"},
        {},
    ):
        refused = manager.post(
            "/context/raci/set/",
            {**posted, "member": str(admin.membership.pk), "letter": "R"},
        )
        assert refused.status_code == 302
    assert not RaciEntry.objects.exists()
    manager.post(
        "/context/raci/set/",
        {"process": "monitoring", "member": str(admin.membership.pk), "letter": "R"},
    )
    entry = RaciEntry.objects.get()
    assert (entry.process, entry.system, entry.letter) == ("monitoring", None, "R")


def test_body_meeting_and_decision_pages(filled, manager, admin):
    body = filled["bodies"]
    page = manager.client.get(f"/context/oversight-bodies/{body.pk}/")
    assert b"Kick-off" in page.content and b"Adopt the charter" in page.content
    meeting = manager.client.get(f"/context/meetings/{filled['meeting'].pk}/")
    assert b"<strong>Agreed</strong>" in meeting.content
    created = manager.post(
        f"/context/oversight-bodies/{body.pk}/meetings/new/",
        {
            "held_on": "2026-03-01",
            "title": "Q1",
            "minutes": "x",
            "attendees": [str(admin.membership.pk)],
        },
    )
    assert created.status_code == 302
    decided = manager.post(
        f"/context/oversight-bodies/{body.pk}/decisions/new/",
        {
            "text": "Pause CV screening",
            "decided_on": "2026-03-01",
            "status": "open",
            "follow_up_owner": str(admin.membership.pk),
            "due_date": "2026-04-01",
        },
    )
    assert decided.status_code == 302
    assert body.decisions.count() == 2


def test_principle_links_on_the_page(filled, manager, systems, other_org):
    principle = filled["principles"]
    page = manager.client.get(f"/context/principles/{principle.pk}/").content.decode()
    # A picker searches the records; the page no longer lists every one of them.
    assert "Search records of that kind by name" in page and "Credit scoring" not in page
    pick = f"/context/principles/{principle.pk}/links/pick/"
    found = manager.client.get(pick, {"object_type": "inventory.aisystem", "q": "credit"})
    assert re.findall(r'data-value="([^"]+)"', found.content.decode()) == [
        str(systems["credit"].pk)
    ]
    unknown = manager.client.get(pick, {"object_type": "accounts.user", "q": "a"})
    assert "data-value" not in unknown.content.decode()
    manager.post(
        f"/context/principles/{principle.pk}/links/",
        {"object_type": "inventory.aisystem", "target_id": str(systems["credit"].pk)},
    )
    link = principle.links.get()
    assert link.object_label == "Credit scoring" and link.kind_label == "AI system"
    foreign = AISystem.objects.create(organisation=other_org, name="Credit abroad", purpose="x")
    for bad in (
        {"object_type": "accounts.user", "target_id": str(manager.user.pk)},
        {"object_type": "inventory.aisystem", "target_id": str(foreign.pk)},
        {"object_type": "inventory.aisystem", "target_id": ""},
    ):
        assert manager.post(f"/context/principles/{principle.pk}/links/", bad).status_code == 302
    assert principle.links.count() == 1
    assert (
        "credit abroad"
        not in manager.client.get(pick, {"object_type": "inventory.aisystem", "q": "credit"})
        .content.decode()
        .lower()
    )
    manager.post(f"/context/principles/{principle.pk}/links/{link.pk}/remove/")
    assert not principle.links.exists()


def test_overdue_decisions_are_flagged(filled, manager):
    gov.record_decision(
        filled["bodies"],
        text="Late follow-up",
        decided_on=dt.date(2020, 1, 1),
        due_date=dt.date(2020, 2, 1),
        actor="t",
    )
    page = manager.client.get(f"/context/oversight-bodies/{filled['bodies'].pk}/")
    assert b"overdue" in page.content
