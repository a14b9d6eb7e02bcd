"""The API's contract: token and session authentication, CSRF, JSON errors, the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.test import Client
from django.utils import timezone

from aimwell.accounts import services
from aimwell.accounts.models import ApiToken
from aimwell.api import api

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_is_shown_once_and_stored_as_a_digest(admin):
    response = admin.api("POST", "/api/v1/tokens", {"name": "pipeline"})
    assert response.status_code == 201
    secret = response.json()["secret"]
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert secret not in (stored.digest, stored.prefix)
    assert stored.digest == services.hash_token(secret)
    listed = admin.api("GET", "/api/v1/tokens").json()
    assert all("secret" not in row for row in listed)


def test_token_authenticates_in_its_own_organisation_with_the_role(org, contributor):
    _, secret = services.create_api_token(contributor.membership, name="s", actor="test")
    client = Client()
    me = client.get("/api/v1/me", **_bearer(secret))
    assert me.status_code == 200
    assert me.json()["current_role"] == "contributor"
    assert me.json()["current_organisation"]["slug"] == org.slug
    # The contributor's role does not let them add members, token or not.
    added = client.post(
        "/api/v1/members",
        {"email": "x@test.example", "role": "staff"},
        content_type="application/json",
        **_bearer(secret),
    )
    assert added.status_code == 403
    assert ApiToken.objects.get(user=contributor.user).last_used_at is not None


def test_token_is_scoped_to_one_organisation(org, other_org, admin):
    services.add_member(other_org, email=admin.user.email, role="admin", actor="test")
    _, secret = services.create_api_token(admin.membership, name="s", actor="test")
    me = Client().get("/api/v1/me", **_bearer(secret)).json()
    assert me["current_organisation"]["slug"] == org.slug
    members = Client().get("/api/v1/members", **_bearer(secret)).json()
    assert {m["email"] for m in members} == {admin.user.email}


def test_revoked_expired_and_unknown_tokens_are_refused(admin):
    token, secret = services.create_api_token(admin.membership, name="s", actor="test")
    services.revoke_api_token(token, actor=admin.user)
    assert Client().get("/api/v1/me", **_bearer(secret)).status_code == 401
    _, expiring = services.create_api_token(
        admin.membership,
        name="e",
        actor="test",
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert Client().get("/api/v1/me", **_bearer(expiring)).status_code == 401
    response = Client().get("/api/v1/me", **_bearer("aw_not-a-real-token"))
    assert response.status_code == 401
    assert "token" in response.json()["message"]


def test_session_writes_need_the_csrf_token(admin):
    no_csrf = admin.client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert no_csrf.status_code in (401, 403)
    assert not ApiToken.objects.filter(name="x").exists()
    with_csrf = admin.api("POST", "/api/v1/tokens", {"name": "x"})
    assert with_csrf.status_code == 201


def test_validation_errors_are_json_with_fields(admin):
    response = admin.api("POST", "/api/v1/members", {"email": "not-an-email", "role": "wizard"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert {e["field"] for e in body["errors"]} == {"email", "role"}
    assert "Traceback" not in response.content.decode()


def test_domain_errors_are_clear_and_write_nothing(org, admin):
    response = admin.api("POST", "/api/v1/members", {"email": admin.user.email, "role": "staff"})
    assert response.status_code == 400
    assert "already a member" in response.json()["message"]
    last_admin = admin.api("PATCH", f"/api/v1/members/{admin.membership.pk}", {"role": "staff"})
    assert last_admin.status_code == 400
    admin.membership.refresh_from_db()
    assert admin.membership.role == "admin"


def test_external_auditor_needs_an_expiry(admin):
    response = admin.api(
        "POST", "/api/v1/members", {"email": "guest@cb.example", "role": "external_auditor"}
    )
    assert response.status_code == 400
    assert "expiry" in response.json()["message"]


def test_malformed_ids_are_404_not_500(admin):
    assert admin.api("GET", "/api/v1/members/not-a-uuid").status_code in (404, 422)
    assert admin.client.get("/members/not-a-uuid/").status_code == 404


def test_committed_openapi_schema_lists_every_endpoint():
    committed = json.loads(SCHEMA_FILE.read_text())
    current = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in current["paths"].items():
        assert path in committed["paths"], f"{path} is missing from docs/openapi.json"
        assert set(operations) <= set(committed["paths"][path]), path
    assert json.loads(json.dumps(current, sort_keys=True)) == committed


def test_docs_page_is_served(admin):
    assert admin.client.get("/api/v1/docs").status_code == 200
