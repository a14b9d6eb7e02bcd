"""Who may do what: every route of the web UI and every API operation, for every role and for an
outsider from another organisation. Routes are enumerated from the URL configuration and the
OpenAPI schema, and each app declares its checks in `<app>/tests/access_checks.py`, so a new
route without its check fails the suite."""

from __future__ import annotations

import copy
import importlib
import inspect
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from aimwell.api import api
from aimwell.testing import ROLES, Check


def _check_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("aimwell."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.access_checks"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.access_checks" and exc.name != (
                f"{config.name}.tests"
            ):
                raise
    return modules


MODULES = _check_modules()
WEB: dict[str, Check | str] = {k: v for m in MODULES for k, v in getattr(m, "WEB", {}).items()}
API: dict[tuple[str, str], Check] = {
    k: v for m in MODULES for k, v in getattr(m, "API", {}).items()
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
    body = None
    if check.body is not None:
        takes_context = len(inspect.signature(check.body).parameters) == 2
        body = check.body(role, ctx) if takes_context else check.body(role)  # type: ignore[call-arg]
    if body and body.get("organisation") == "ORG":
        body = {"organisation": str(ctx["org"].pk)}
    if body and "file" in body:
        return actor.post(url, body)
    if url.startswith("/api/"):
        return actor.api(check.method, url, body)
    if check.method == "POST":
        return actor.post(url, body)
    return actor.client.get(url)


@dataclass
class SharedContext:
    """Every app's objects, and what each test starts from: the keys and each actor's cookies."""

    context: dict[str, Any]
    keys: frozenset[str]
    cookies: dict[str, SimpleCookie]


def _actors(context: dict[str, Any]) -> list[Any]:
    return [*context["everyone"].values(), context["outsider"]]


@pytest.fixture(scope="module")
def shared_ctx(shared_world: dict[str, Any]) -> SharedContext:
    """Built once for all routes; each test rolls back its own database changes."""
    from aimwell.catalog.models import Framework
    from aimwell.catalog.services import load_builtin_catalog

    if not Framework.objects.filter(organisation__isnull=True).exists():
        load_builtin_catalog()
    context = dict(shared_world)
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(context)
    cookies = {actor.name: copy.deepcopy(actor.client.cookies) for actor in _actors(context)}
    return SharedContext(context, frozenset(context), cookies)


def _fresh(value: Any) -> None:
    if isinstance(value, Model):
        value.refresh_from_db()
    elif isinstance(value, list | tuple):
        for item in value:
            _fresh(item)


@pytest.fixture
def ctx(shared_ctx: SharedContext, db: Any) -> dict[str, Any]:
    """The context as the setup left it: objects re-read (a test before may have changed them in
    memory; its database changes are rolled back), keys a test added dropped, and each actor's
    cookies restored (a route may have rotated or ended their session)."""
    context = shared_ctx.context
    for key in set(context) - shared_ctx.keys:
        del context[key]
    for actor in _actors(context):
        actor.client.cookies = copy.deepcopy(shared_ctx.cookies[actor.name])
        actor.membership.refresh_from_db()
        actor.user.refresh_from_db()
    for key, value in context.items():
        if key not in ("everyone", "outsider"):
            _fresh(value)
    return context


ALL_CHECKS = [(name, c) for name, c in WEB.items() if isinstance(c, Check)] + [
    (f"{m} {p}", c) for (m, p), c in API.items()
]


@pytest.mark.parametrize(("name", "check"), ALL_CHECKS, ids=[n for n, _ in ALL_CHECKS])
def test_route_access(ctx, name, check):
    """Each role gets exactly what the check allows; the outsider never reaches the org.

    One test per route (not per role) so the shared context is built once per route."""
    for role in ROLES:
        response = _call(ctx["everyone"][role], check, ctx, role)
        if role in check.allowed:
            assert response.status_code == check.ok, (role, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, response.status_code)
            if response.status_code == 404:
                # An insider sees 404 only for someone else's personal object.
                assert check.personal, (role, name)
    response = _call(ctx["outsider"], check, ctx, "outsider")
    if check.object:
        assert response.status_code == 404, ("outsider", response.status_code)
    else:
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode()
        assert ctx["org"].name not in body
        for actor in ctx["everyone"].values():
            assert actor.user.email not in body


def test_expired_external_auditor_loses_access(ctx):
    import datetime as dt

    from django.utils import timezone

    from aimwell.accounts.models import Membership

    external_auditor = ctx["everyone"]["external_auditor"]
    Membership.objects.filter(pk=external_auditor.membership.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = external_auditor.api("GET", "/api/v1/audit-events")
    assert response.status_code == 401
    page = external_auditor.client.get("/audit/")
    assert page.status_code == 404
