"""Every editable API operation (each PATCH and PUT in the OpenAPI schema) refuses a write made
from a stale version with 409 and the current version, before writing anything (issue 16, Why 5).

The operations and how to call them come from the role-by-route matrix (each app's
`access_checks.py`), so a new editable endpoint is enumerated here without a line of its own."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

from aimwell.accounts.tests.test_access_matrix import (  # noqa: F401 (fixtures)
    API,
    ctx,
    shared_ctx,
)
from aimwell.core.models import AuditEvent

# Operations that set a value by a key rather than change a record read before (create or
# replace): there is no earlier version for a writer to have read.
UPSERTS = {
    ("PUT", "/api/v1/baseline/{ref}"),
    ("PUT", "/api/v1/readiness/overrides/{ref}"),
    ("PUT", "/api/v1/context/ai-roles/{role}"),
    ("PUT", "/api/v1/legal-requirements/{requirement_id}/systems/{system_id}"),
    ("PUT", "/api/v1/certification/project"),
    ("PUT", "/api/v1/integrations/mlflow"),
    # One record of each kind per AI system, written whole (a change is a new audited version).
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/requirements"),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/design"),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/logging-policy"),
    ("PUT", "/api/v1/lifecycle/systems/{system_id}/vv-plan"),
    ("PUT", "/api/v1/lifecycle/settings"),
}
# Records created by their first change (defaults until then): versioned from that change on.
CREATED_BY_FIRST_CHANGE = {("PATCH", "/api/v1/transparency/settings")}
EDITABLE = sorted(
    (key, check) for key, check in API.items() if key[0] in ("PATCH", "PUT") and key not in UPSERTS
)


def _body(check: Any, role: str, context: dict[str, Any]) -> dict[str, Any] | None:
    if check.body is None:
        return None
    takes_context = len(inspect.signature(check.body).parameters) == 2
    return check.body(role, context) if takes_context else check.body(role)


@pytest.mark.parametrize(("key", "check"), EDITABLE, ids=[f"{m} {p}" for (m, p), _ in EDITABLE])
def test_a_stale_write_gets_409_with_the_current_version(ctx, key, check):  # noqa: F811
    role = "admin" if "admin" in check.allowed else sorted(check.allowed)[0]
    actor = ctx["everyone"][role]
    url = check.url(ctx)
    body = _body(check, role, ctx)
    call = getattr(actor.client, key[0].lower())
    if key in CREATED_BY_FIRST_CHANGE:
        first = call(
            url,
            json.dumps(body or {}),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=actor.csrf(),
        )
        assert first.status_code == check.ok
    events_before = AuditEvent.objects.count()
    response = call(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=actor.csrf(),
        HTTP_IF_MATCH='"a-version-read-long-ago"',
    )
    assert response.status_code == 409, (key, response.status_code, response.content[:300])
    current = response.json()["current_version"]
    assert current and response["ETag"] == current
    assert AuditEvent.objects.count() == events_before  # nothing was written
    # With the current version the same write goes through.
    accepted = call(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=actor.csrf(),
        HTTP_IF_MATCH=current,
    )
    assert accepted.status_code == check.ok, (key, accepted.status_code, accepted.content[:300])


@pytest.mark.parametrize(("key", "check"), EDITABLE, ids=[f"{m} {p}" for (m, p), _ in EDITABLE])
def test_a_write_that_names_no_version_gets_428_and_changes_nothing(ctx, key, check):  # noqa: F811
    role = "admin" if "admin" in check.allowed else sorted(check.allowed)[0]
    actor = ctx["everyone"][role]
    url = check.url(ctx)
    body = _body(check, role, ctx)
    if key in CREATED_BY_FIRST_CHANGE:
        assert actor.api(key[0], url, body or {}).status_code == check.ok
    events_before = AuditEvent.objects.count()
    response = actor.api(key[0], url, body or {}, if_match=None)
    assert response.status_code == 428, (key, response.status_code, response.content[:300])
    assert response.json()["current_version"] == response["ETag"]
    assert "If-Match" in response.json()["message"]
    assert AuditEvent.objects.count() == events_before


def test_the_server_knows_the_same_upserts_as_this_test(ctx):  # noqa: F811
    from aimwell.core.concurrency import UPSERT_ROUTES

    for (method, path), check in API.items():
        if method == "PUT":
            url = check.url(ctx).split("?")[0]
            assert bool(UPSERT_ROUTES.match(url)) == ((method, path) in UPSERTS), path
