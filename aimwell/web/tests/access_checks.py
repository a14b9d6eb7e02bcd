"""Access checks of the home API (collected by the role matrix; the home page itself is checked
with the shell's routes in accounts.tests.access_checks)."""

from __future__ import annotations

from aimwell.testing import READERS, Check

API: dict[tuple[str, str], Check] = {
    # The figures span the whole AIMS: members who read it, not staff, not a guest.
    ("GET", "/api/v1/home"): Check(
        "GET", lambda c: "/api/v1/home", READERS - {"external_auditor"}, object=False
    ),
}
