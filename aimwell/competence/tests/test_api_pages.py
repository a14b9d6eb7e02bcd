"""A member takes a quiz through the API and the training gaps follow."""

from __future__ import annotations

import pytest

from aimwell.competence import services as training

pytestmark = pytest.mark.usefixtures("catalog")
API = "/api/v1"


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
