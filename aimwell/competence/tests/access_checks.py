"""Access checks of the training routes (collected by the role matrix). The objects they use
are made once for all operations apps by `aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from aimwell.operations.tests.access_checks import (
    EVERYONE,
    PARTICIPANTS,
    api_get,
    api_path,
    email_of,
    page_check,
)
from aimwell.testing import MANAGERS, READERS, Check

API: dict[tuple[str, str], Check] = {
    # Training
    ("GET", api_path("/trainings")): api_get("/trainings", EVERYONE),
    ("POST", api_path("/trainings")): Check(
        "POST",
        lambda c: api_path("/trainings"),
        MANAGERS,
        object=False,
        ok=201,
        body=lambda role: {"key": f"course-{role.replace('_', '-')}", "title": f"For {role}"},
    ),
    ("GET", api_path("/trainings/{course_id}")): api_get("/trainings/{pk}", EVERYONE, "ops_course"),
    ("PATCH", api_path("/trainings/{course_id}")): Check(
        "PATCH",
        lambda c: api_path(f"/trainings/{c['ops_course'].pk}"),
        MANAGERS,
        object=True,
        body=lambda role: {"summary": f"By {role}"},
    ),
    ("POST", api_path("/trainings/{course_id}/quiz")): Check(
        "POST",
        lambda c: api_path(f"/trainings/{c['ops_course'].pk}/quiz"),
        PARTICIPANTS,
        object=True,
        ok=201,
        body=lambda role: {"answers": [1, 0, 1, 2]},
    ),
    ("POST", api_path("/trainings/{course_id}/records")): Check(
        "POST",
        lambda c: api_path(f"/trainings/{c['ops_course'].pk}/records"),
        MANAGERS,
        object=True,
        ok=201,
        body=lambda role, c: {
            "user_email": email_of(c, role, "staff"),
            "completed_on": "2026-01-10",
        },
    ),
    ("GET", api_path("/training-records")): api_get("/training-records", PARTICIPANTS),
    ("GET", api_path("/training-gaps")): api_get("/training-gaps", READERS),
}

WEB: dict[str, Check | str] = {
    "competence:course-new": page_check("competence:course-new", MANAGERS),
    "competence:course-edit": page_check("competence:course-edit", MANAGERS, "ops_course"),
    "competence:training": page_check("competence:training", EVERYONE),
    "competence:training-matrix": page_check("competence:training-matrix", READERS),
    "competence:course": page_check("competence:course", EVERYONE, "ops_course"),
}
