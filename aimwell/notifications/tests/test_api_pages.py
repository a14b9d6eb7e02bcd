"""Notifications are personal: each member reads and marks only their own."""

from __future__ import annotations

import pytest

from aimwell.improvement import services as improvement

pytestmark = pytest.mark.usefixtures("catalog")
API = "/api/v1"


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
