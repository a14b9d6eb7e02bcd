"""Governance API: principles (staff read the adopted ones) and their links, RACI and its
matrix, oversight bodies with meetings and decisions; paths as before the split."""

from __future__ import annotations

from aimwell.governance.models import RaciEntry


def test_principles_staff_see_adopted_only_and_links(org, manager, staff, systems, catalog):
    adopted = manager.api(
        "POST",
        "/api/v1/principles",
        {
            "name": "Fairness",
            "statement": "Fair.",
            "status": "adopted",
            "catalog_urns": ["iso42001:2023:A.2.2"],
        },
    )
    assert adopted.status_code == 201, adopted.content
    draft = manager.api("POST", "/api/v1/principles", {"name": "Privacy", "statement": "Private."})
    staff_list = staff.api("GET", "/api/v1/principles").json()
    assert [p["name"] for p in staff_list["items"]] == ["Fairness"]
    assert staff.api("GET", f"/api/v1/principles/{draft.json()['id']}").status_code == 404
    link = manager.api(
        "POST",
        f"/api/v1/principles/{adopted.json()['id']}/links",
        {"object_type": "inventory.aisystem", "object_id": str(systems["credit"].pk)},
    )
    assert link.status_code == 201 and link.json()["object_label"] == "Credit scoring"
    bad = manager.api(
        "POST",
        f"/api/v1/principles/{adopted.json()['id']}/links",
        {"object_type": "inventory.aisystem", "object_id": "nope"},
    )
    assert bad.status_code == 400


def test_raci_api_and_matrix(org, manager, admin, contributor, systems):
    url = "/api/v1/raci"
    a = manager.api(
        "POST",
        url,
        {
            "member_id": str(admin.membership.pk),
            "letter": "A",
            "system_id": str(systems["credit"].pk),
        },
    )
    assert a.status_code == 201, a.content
    second_a = manager.api(
        "POST",
        url,
        {
            "member_id": str(manager.membership.pk),
            "letter": "A",
            "system_id": str(systems["credit"].pk),
        },
    )
    assert second_a.status_code == 400 and "accountable" in second_a.json()["message"]
    both = manager.api(
        "POST",
        url,
        {
            "member_id": str(admin.membership.pk),
            "letter": "R",
            "process": "monitoring",
            "system_id": str(systems["credit"].pk),
        },
    )
    assert both.status_code == 400
    manager.api(
        "POST",
        url,
        {
            "member_id": str(contributor.membership.pk),
            "letter": "R",
            "system_id": str(systems["credit"].pk),
        },
    )
    matrix = manager.api("GET", "/api/v1/raci/matrix?axis=systems").json()
    credit = next(r for r in matrix["rows"] if r["label"] == "Credit scoring")
    assert credit["cells"] == {str(admin.membership.pk): "A", str(contributor.membership.pk): "R"}
    assert credit["has_accountable"] is True
    chatbot = next(r for r in matrix["rows"] if r["label"] == "Support chatbot")
    assert chatbot["has_accountable"] is False
    processes = manager.api("GET", "/api/v1/raci/matrix?axis=processes").json()
    assert len(processes["rows"]) == 14
    assert manager.api("GET", "/api/v1/raci/matrix?axis=colours").status_code == 400
    filtered = manager.api("GET", f"/api/v1/raci?letter=R&system_id={systems['credit'].pk}")
    assert filtered.json()["count"] == 1
    assert RaciEntry.objects.filter(organisation=org).count() == 2


def test_oversight_body_meetings_and_decisions(org, manager, admin):
    body = manager.api(
        "POST",
        "/api/v1/oversight-bodies",
        {
            "name": "AI ethics committee",
            "kind": "ethics_committee",
            "chair_id": str(admin.membership.pk),
            "member_ids": [str(admin.membership.pk), str(manager.membership.pk)],
        },
    ).json()
    assert body["chair"]["name"] == "Admin" and len(body["members"]) == 2
    meeting = manager.api(
        "POST",
        f"/api/v1/oversight-bodies/{body['id']}/meetings",
        {
            "held_on": "2026-03-02",
            "title": "Q1 review",
            "minutes": "Reviewed the chatbot.",
            "attendee_ids": [str(admin.membership.pk)],
        },
    ).json()
    decision = manager.api(
        "POST",
        f"/api/v1/oversight-bodies/{body['id']}/decisions",
        {
            "text": "Add a human review step",
            "decided_on": "2026-03-02",
            "meeting_id": meeting["id"],
            "follow_up_owner_id": str(manager.membership.pk),
            "due_date": "2026-04-01",
        },
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["follow_up_owner"]["name"] == "Manager"
    listed = manager.api("GET", f"/api/v1/oversight-bodies/{body['id']}/decisions?status=open")
    assert listed.json()["count"] == 1
    shown = manager.api("GET", f"/api/v1/oversight-bodies/{body['id']}").json()
    assert shown["meeting_count"] == 1 and shown["open_decisions"] == 1
    bad_date = manager.api(
        "POST", f"/api/v1/oversight-bodies/{body['id']}/meetings", {"held_on": "yesterday"}
    )
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "held_on"
