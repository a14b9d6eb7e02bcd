"""Who may do what: every route of the web UI and every API operation, for every role and for an
outsider from another organisation. Routes are enumerated from the URL configuration and the
OpenAPI schema, so a new route without an entry here fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aimwell.accounts import services
from aimwell.api import api

ROLES = ["admin", "aims_manager", "contributor", "internal_auditor", "staff", "external_auditor"]
AUDIT_VIEWERS = {"admin", "aims_manager", "internal_auditor", "external_auditor"}
READERS = set(ROLES) - {"staff"}


@dataclass
class Check:
    """How to call a route, and who may call it. `object` routes point at an object of `org`,
    so the outsider must get 404; list routes must not leak `org`'s data to the outsider."""

    method: str
    url: Callable[[dict[str, Any]], str]
    allowed: set[str]
    object: bool
    body: Callable[[str], dict[str, Any]] | None = None
    ok: int = 200


def _member_id(ctx: dict[str, Any]) -> str:
    return str(ctx["everyone"]["staff"].membership.pk)


def _token_of_admin(ctx: dict[str, Any]) -> str:
    return str(ctx["token"].pk)


ORG_FRAMEWORK = "acme-rules:1"
ORG_NODE = "acme-rules:1:R1"
MANAGERS = {"admin", "aims_manager"}


def _upload(role: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = (
        f'framework: {{key: upload-{role.replace("_", "-")}, version: "1", name: Uploaded}}\n'
        "nodes:\n  - {id: U1, kind: requirement, title: Uploaded rule}\n"
    )
    return {"file": SimpleUploadedFile("rules.yaml", text.encode())}


WEB: dict[str, Check | str] = {
    "login": "sign-in page, public by design",
    "logout": "signs out the current user only",
    "password_change": "acts on the signed-in user only",
    "password_change_done": "acts on the signed-in user only",
    "dashboard": Check("GET", lambda c: reverse("dashboard"), set(ROLES), object=False),
    "members": Check("GET", lambda c: reverse("members"), set(ROLES), object=False),
    "member-edit": Check(
        "GET", lambda c: reverse("member-edit", args=[_member_id(c)]), {"admin"}, object=True
    ),
    "tokens": Check(
        "GET", lambda c: reverse("tokens"), set(ROLES) - {"external_auditor"}, object=False
    ),
    # Tokens are personal: only their owner (here the admin) may revoke them.
    "token-revoke": Check(
        "POST",
        lambda c: reverse("token-revoke", args=[_token_of_admin(c)]),
        {"admin"},
        object=True,
        ok=302,
    ),
    "audit-trail": Check("GET", lambda c: reverse("audit-trail"), AUDIT_VIEWERS, object=False),
    "object-history": Check(
        "GET",
        lambda c: reverse("object-history", args=["accounts.membership", _member_id(c)]),
        AUDIT_VIEWERS,
        object=True,
    ),
    "catalog:index": Check("GET", lambda c: reverse("catalog:index"), set(ROLES), object=False),
    "catalog:search": Check(
        "GET", lambda c: reverse("catalog:search") + "?q=rule", set(ROLES), object=False
    ),
    "catalog:import": Check("GET", lambda c: reverse("catalog:import"), MANAGERS, object=False),
    "catalog:framework": Check(
        "GET",
        lambda c: reverse("catalog:framework", args=[ORG_FRAMEWORK]),
        set(ROLES),
        object=True,
    ),
    "catalog:export": Check(
        "GET",
        lambda c: reverse("catalog:export", args=[ORG_FRAMEWORK, "yaml"]),
        set(ROLES),
        object=True,
    ),
    "catalog:node": Check(
        "GET", lambda c: reverse("catalog:node", args=[ORG_NODE]), set(ROLES), object=True
    ),
    "switch-organisation": Check(
        "POST",
        lambda c: reverse("switch-organisation"),
        set(ROLES),
        object=True,
        body=lambda role: {"organisation": "ORG"},
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/me"): Check("GET", lambda c: "/api/v1/me", set(ROLES), object=False),
    ("GET", "/api/v1/members"): Check("GET", lambda c: "/api/v1/members", READERS, object=False),
    ("POST", "/api/v1/members"): Check(
        "POST",
        lambda c: "/api/v1/members",
        {"admin"},
        object=False,
        ok=201,
        body=lambda role: {"email": f"new-{role}@test.example", "role": "staff"},
    ),
    ("GET", "/api/v1/members/{member_id}"): Check(
        "GET", lambda c: f"/api/v1/members/{_member_id(c)}", READERS, object=True
    ),
    ("PATCH", "/api/v1/members/{member_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/members/{_member_id(c)}",
        {"admin"},
        object=True,
        body=lambda role: {"is_top_management": False},
    ),
    ("GET", "/api/v1/tokens"): Check("GET", lambda c: "/api/v1/tokens", set(ROLES), object=False),
    ("POST", "/api/v1/tokens"): Check(
        "POST",
        lambda c: "/api/v1/tokens",
        set(ROLES) - {"external_auditor"},
        object=False,
        ok=201,
        body=lambda role: {"name": f"script of {role}"},
    ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Check(
        "DELETE", lambda c: f"/api/v1/tokens/{_token_of_admin(c)}", {"admin"}, object=True
    ),
    ("GET", "/api/v1/audit-events"): Check(
        "GET", lambda c: "/api/v1/audit-events", AUDIT_VIEWERS, object=False
    ),
    ("GET", "/api/v1/catalog/frameworks"): Check(
        "GET", lambda c: "/api/v1/catalog/frameworks", set(ROLES), object=False
    ),
    ("GET", "/api/v1/catalog/frameworks/{urn}"): Check(
        "GET", lambda c: f"/api/v1/catalog/frameworks/{ORG_FRAMEWORK}", set(ROLES), object=True
    ),
    ("GET", "/api/v1/catalog/frameworks/{urn}/export"): Check(
        "GET",
        lambda c: f"/api/v1/catalog/frameworks/{ORG_FRAMEWORK}/export",
        set(ROLES),
        object=True,
    ),
    ("GET", "/api/v1/catalog/nodes/{urn}"): Check(
        "GET", lambda c: f"/api/v1/catalog/nodes/{ORG_NODE}", set(ROLES), object=True
    ),
    ("GET", "/api/v1/catalog/search"): Check(
        "GET", lambda c: "/api/v1/catalog/search?q=rule", set(ROLES), object=False
    ),
    ("GET", "/api/v1/catalog/mapping-sets"): Check(
        "GET", lambda c: "/api/v1/catalog/mapping-sets", set(ROLES), object=False
    ),
    ("POST", "/api/v1/catalog/import"): Check(
        "POST", lambda c: "/api/v1/catalog/import", MANAGERS, object=False, ok=201, body=_upload
    ),
    ("POST", "/api/v1/audit-events/verify"): Check(
        "POST", lambda c: "/api/v1/audit-events/verify", AUDIT_VIEWERS, object=False
    ),
}


def _route_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = str(pattern.pattern)
            if route.startswith(("django-admin/", "api/")):
                continue  # Django's own admin (superusers only); the API is enumerated below
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        (method.upper(), path.rstrip("/") or path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_web_route_has_an_access_check():
    assert _route_names(get_resolver().url_patterns) == set(WEB)


def test_every_api_operation_has_an_access_check():
    assert _api_operations() == set(API)


def _call(actor: Any, check: Check, ctx: dict[str, Any], role: str) -> Any:
    url = check.url(ctx)
    body = check.body(role) if check.body else None
    if body and body.get("organisation") == "ORG":
        body = {"organisation": str(ctx["org"].pk)}
    if body and "file" in body:
        return actor.post(url, body)
    if url.startswith("/api/"):
        return actor.api(check.method, url, body)
    if check.method == "POST":
        return actor.post(url, body)
    return actor.client.get(url)


@pytest.fixture
def ctx(catalog, org, everyone, outsider):
    from aimwell.catalog.services import import_framework
    from aimwell.catalog.spec import FrameworkSpec, NodeSpec

    rules = FrameworkSpec(
        key="acme-rules",
        version="1",
        name="ACME rules",
        nodes=[NodeSpec(id="R1", kind="requirement", title="A rule")],
    )
    import_framework(rules, organisation=org, actor="test")
    token, _ = services.create_api_token(everyone["admin"].membership, name="t", actor="test")
    return {"org": org, "everyone": everyone, "outsider": outsider, "token": token}


ALL_CHECKS = [(name, c) for name, c in WEB.items() if isinstance(c, Check)] + [
    (f"{m} {p}", c) for (m, p), c in API.items()
]


@pytest.mark.parametrize("name,check", ALL_CHECKS, ids=[n for n, _ in ALL_CHECKS])
def test_role_matrix(ctx, name, check):
    for role in ROLES:
        response = _call(ctx["everyone"][role], check, ctx, role)
        if role in check.allowed:
            assert response.status_code == check.ok, (role, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, response.status_code)
            if response.status_code == 404:
                # A 404 for an insider only where the object is personal (someone else's token).
                assert name.endswith(("token-revoke", "{token_id}")), (role, name)


@pytest.mark.parametrize("name,check", ALL_CHECKS, ids=[n for n, _ in ALL_CHECKS])
def test_outsider_never_reaches_the_organisation(ctx, name, check):
    response = _call(ctx["outsider"], check, ctx, "outsider")
    if check.object:
        assert response.status_code == 404, response.status_code
    else:
        body = response.content.decode()
        assert ctx["org"].name not in body
        for actor in ctx["everyone"].values():
            assert actor.user.email not in body


def test_expired_external_auditor_loses_access(org, external_auditor, admin):
    import datetime as dt

    from django.utils import timezone

    from aimwell.accounts.models import Membership

    Membership.objects.filter(pk=external_auditor.membership.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = external_auditor.api("GET", "/api/v1/audit-events")
    assert response.status_code == 401
    page = external_auditor.client.get("/audit/")
    assert page.status_code == 404
