"""Oversized bodies get 413 and pagination out of bounds 400, as JSON, never a server error
(issue 16, Why 8)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_a_30_mb_json_body_is_refused_with_413(manager):
    body = json.dumps({"title": "x" * (30 * 1024 * 1024)})
    response = manager.client.post(
        "/api/v1/risks",
        data=body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=manager.csrf(),
    )
    assert response.status_code == 413
    assert "limit" in response.json()["message"]


@pytest.mark.parametrize(
    "query",
    ["offset=" + "9" * 30, "offset=-1", "limit=" + "9" * 12, "page=" + "9" * 25, "page_size=abc"],
)
def test_pagination_out_of_bounds_is_400(manager, query):
    response = manager.api("GET", f"/api/v1/audit-events?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_sensible_pagination_still_answers(manager):
    assert manager.api("GET", "/api/v1/audit-events?offset=0&limit=5").status_code == 200
