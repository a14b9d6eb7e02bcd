"""Two people change the same risk: the second, who read it before the first saved, gets 409 with
the current version instead of silently wiping the first change (issue 16, Why 5)."""

from __future__ import annotations

import json

import pytest

from aimwell.risks.models import Risk
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db


def _patch(actor, url: str, body: dict, if_match: str | None):
    headers = {"HTTP_X_CSRFTOKEN": actor.csrf()}
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    return actor.client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_the_second_stale_write_gets_409_and_loses_nothing(catalog, org, admin, manager):
    risk = factories.risk(org, "Unfair refusals")
    url = f"/api/v1/risks/{risk.pk}"
    first_read = admin.api("GET", url)
    second_read = manager.api("GET", url)
    version = first_read["ETag"]
    assert version and second_read["ETag"] == version

    saved = _patch(admin, url, {"title": "Unfair refusals of young applicants"}, version)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != version

    stale = _patch(manager, url, {"title": "Refusals"}, version)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == saved["ETag"] == stale["ETag"]
    assert Risk.objects.get(pk=risk.pk).title == "Unfair refusals of young applicants"

    # With the current version the second person's change goes through.
    retried = _patch(manager, url, {"title": "Refusals"}, body["current_version"])
    assert retried.status_code == 200
    assert Risk.objects.get(pk=risk.pk).title == "Refusals"


def test_a_stale_version_on_any_write_to_the_risk_is_refused(catalog, org, admin):
    risk = factories.risk(org, "Unfair refusals")
    stale = '"0000"'
    response = admin.client.post(
        f"/api/v1/risks/{risk.pk}/close",
        json.dumps({"note": "done"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=admin.csrf(),
        HTTP_IF_MATCH=stale,
    )
    assert response.status_code == 409
    assert Risk.objects.get(pk=risk.pk).status != "closed"
