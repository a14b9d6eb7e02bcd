"""Access checks of the notifications routes (collected by the role matrix). The objects they use
are made once for all operations apps by `aimwell.operations.tests.access_checks.setup`."""

from __future__ import annotations

from django.urls import reverse

from aimwell.operations.tests.access_checks import (
    EVERYONE,
    api_get,
    api_path,
    page_check,
    post_check,
)
from aimwell.testing import Check

MEMBERS = EVERYONE - {"external_auditor"}  # a guest's work is in their audit workspace

API: dict[tuple[str, str], Check] = {
    ("GET", api_path("/inbox")): api_get("/inbox", MEMBERS),
    # Notifications (personal)
    ("GET", api_path("/notifications")): api_get("/notifications", EVERYONE),
    ("POST", api_path("/notifications/{notification_id}/read")): Check(
        "POST",
        lambda c: api_path(f"/notifications/{c['ops_notification'].pk}/read"),
        {"admin"},
        object=True,
        personal=True,
    ),
}

WEB: dict[str, Check | str] = {
    "notifications:inbox": page_check("notifications:inbox", MEMBERS),
    "notifications:inbox-count": page_check("notifications:inbox-count", MEMBERS),
    "notifications:notifications": page_check("notifications:notifications", EVERYONE),
    "notifications:notification-read": post_check(
        lambda c: reverse("notifications:notification-read", args=[c["ops_notification"].pk]),
        {"admin"},
        personal=True,
    ),
}
