"""Input of the wrong JSON type is refused with 422 naming the field, instead of being guessed
into something else (found by schemathesis: `[null, null]` was an accepted empty PATCH, `0` a
planned start on 1 January 1970, `?until=0` the epoch). A multipart body without its boundary is
a 400, not a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aimwell.accounts import services
from aimwell.api_input import problems

AUDIT = {
    "title": "Internal audit 2027",
    "scope": "The whole AIMS",
    "planned_start": "2027-03-01",
    "planned_end": "2027-03-05",
}


@pytest.fixture
def audit_body(manager: Any) -> dict[str, Any]:
    return {**AUDIT, "lead_auditor_email": manager.user.email}


def test_a_body_of_the_right_types_is_accepted(manager, audit_body):
    response = manager.api("POST", "/api/v1/audits", audit_body)
    assert response.status_code == 201, response.content
    assert response.json()["planned_start"] == "2027-03-01"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("planned_start", 0, "Expected string, got number."),
        ("planned_start", "0", "Expected a date in ISO 8601 form."),
        ("title", 7, "Expected string, got number."),
        ("system_ids", "not-a-list", "Expected array, got string."),
    ],
)
def test_a_field_of_another_json_type_is_refused(manager, audit_body, field, value, expected):
    response = manager.api("POST", "/api/v1/audits", {**audit_body, field: value})
    assert response.status_code == 422
    assert {"field": field, "message": expected} in response.json()["errors"]


def test_an_array_is_not_an_empty_patch(manager, audit_body):
    audit = manager.api("POST", "/api/v1/audits", audit_body).json()
    response = manager.api("PATCH", f"/api/v1/audits/{audit['id']}", [None, None])
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Expected object, got array."


def test_a_query_date_must_look_like_a_date(manager):
    assert manager.api("GET", "/api/v1/audit-events?until=0").status_code == 422
    later = manager.api("GET", "/api/v1/audit-events?until=2030-01-01")
    assert later.status_code == 200, later.content


def test_a_multipart_body_without_its_boundary_is_a_400(manager):
    _, secret = services.create_api_token(manager.membership, name="script", actor="test")
    response = Client().post(
        "/api/v1/evidence",
        data=b"x",
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert "multipart" in response.json()["message"]


def test_types_are_checked_through_references_and_choices():
    definitions = {"Inner": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    schema = {
        "type": "object",
        "properties": {
            "inner": {"$ref": "#/$defs/Inner"},
            "maybe": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
            "when": {"type": "string", "format": "date-time"},
        },
    }
    assert (
        problems(
            {"inner": {"n": 2.0}, "maybe": None, "when": "2027-01-01T10:00Z"}, schema, definitions
        )
        == []
    )
    assert problems(
        {"inner": {"n": "2"}, "maybe": 1, "when": "yesterday"}, schema, definitions
    ) == [
        "inner.n:Expected integer, got string.",
        "maybe:Expected boolean, got number.",
        "when:Expected a date-time in ISO 8601 form.",
    ]


def test_null_for_a_field_that_cannot_be_empty_is_refused_and_nothing_changes(manager):
    """Found by schemathesis: `"title": null` in a PATCH reached the database (NOT NULL, 500)."""
    programme = manager.api(
        "POST",
        "/api/v1/audit-programmes",
        {"title": "Cycle 2027", "cycle_start": "2027-01-01", "cycle_end": "2027-12-31"},
    ).json()
    response = manager.api("PATCH", f"/api/v1/audit-programmes/{programme['id']}", {"title": None})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Title cannot be empty")
    again = manager.api("GET", f"/api/v1/audit-programmes/{programme['id']}").json()
    assert again["title"] == "Cycle 2027"
    role = manager.api("POST", "/api/v1/aims-roles", {"name": "AIMS lead"}).json()
    refused = manager.api("PATCH", f"/api/v1/aims-roles/{role['id']}", {"responsibilities": None})
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("Responsibilities cannot be empty")


def test_a_commitment_can_be_reworded(manager):
    """Found by schemathesis: the field `commitment` clashed with the service's own argument of
    that name (500 on every PATCH that reworded a leadership commitment)."""
    made = manager.api(
        "POST",
        "/api/v1/leadership-commitments",
        {"made_on": "2027-01-10", "commitment": "Fund the AIMS for three years"},
    )
    assert made.status_code == 201, made.content
    url = f"/api/v1/leadership-commitments/{made.json()['id']}"
    response = manager.api("PATCH", url, {"commitment": "Fund the AIMS for five years"})
    assert response.status_code == 200, response.content
    assert response.json()["commitment"] == "Fund the AIMS for five years"


def test_null_roles_for_a_course_is_refused(manager):
    """Found by schemathesis: `"roles": null` in a course PATCH was iterated (500)."""
    course = manager.api(
        "POST", "/api/v1/trainings", {"key": "ai-literacy", "title": "AI literacy"}
    )
    assert course.status_code == 201, course.content
    response = manager.api("PATCH", f"/api/v1/trainings/{course.json()['id']}", {"roles": None})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Roles cannot be empty")
