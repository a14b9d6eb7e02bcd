"""Shared test fixtures: two organisations and a named actor for every role, plus an outsider."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass run only the tests that touch the database; tests marked
    `postgres` need PostgreSQL's row locks and run on that pass only. Browser tests (`e2e`) and
    tests driving a real outside server (`outside_server`) run once, on the first pass: what they
    add is the browser or the server; their database work is what every other test covers on
    both backends, and starting Chromium, the OIDC provider and MLflow again costs minutes."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    db_only = os.environ.get("AIMWELL_DB_TESTS_ONLY") == "1"
    keep, drop = [], []
    for item in items:
        uses_db = bool(DB_FIXTURES & set(getattr(item, "fixturenames", ()))) or bool(
            item.get_closest_marker("django_db")
        )
        needs_pg = item.get_closest_marker("postgres") is not None
        once = any(item.get_closest_marker(m) for m in ("e2e", "outside_server"))
        if (db_only and (once or not uses_db)) or (needs_pg and not on_postgres):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@dataclass
class Actor:
    """A person in a test: their user, their membership, and a CSRF-enforcing signed-in client."""

    name: str
    user: Any
    membership: Any
    client: Client

    def csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/")
        return self.client.cookies["csrftoken"].value

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.post(url, data or {}, HTTP_X_CSRFTOKEN=self.csrf(), **kw)

    def api(self, method: str, url: str, json: Any = None, if_match: str | None = "*") -> Any:
        """A call as a script makes it; a PATCH or PUT says it overwrites whatever is there
        (If-Match: *) unless given the version it read (the stale-write tests do)."""
        call = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"HTTP_X_CSRFTOKEN": self.csrf()}
        if method.upper() in ("PATCH", "PUT") and if_match is not None:
            kwargs["HTTP_IF_MATCH"] = if_match
        if json is not None:
            kwargs.update(data=json, content_type="application/json")
        return call(url, **kwargs)


def _actor(name: str, org: Any, email: str, role: str, **designations: Any) -> Actor:
    from aimwell.accounts import services

    membership = services.add_member(
        org,
        email=email,
        full_name=name.title(),
        role=role,
        password="x" * 14,
        actor="test",
        **designations,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    return Actor(name, membership.user, membership, client)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the built-in catalog and classification rules once into the test database (tests
    roll back on top of them)."""
    from aimwell.catalog.services import load_builtin_catalog
    from aimwell.inventory.classification import sync_rule_sets

    with django_db_blocker.unblock():
        load_builtin_catalog()
        sync_rule_sets()


@pytest.fixture
def catalog(db: Any) -> None:
    """The built-in catalog, reloaded if a transactional test flushed it."""
    from aimwell.catalog.models import Framework
    from aimwell.catalog.services import load_builtin_catalog

    if not Framework.objects.filter(organisation__isnull=True).exists():
        load_builtin_catalog()


@pytest.fixture
def org(db: Any) -> Any:
    from aimwell.accounts import services

    return services.create_organisation(name="Meridian Test", slug="meridian-test", actor="test")


@pytest.fixture
def other_org(db: Any) -> Any:
    from aimwell.accounts import services

    return services.create_organisation(name="Elsewhere Ltd", slug="elsewhere", actor="test")


# name, email, role and designations of the actor for each role (the keys are the roles).
PEOPLE: dict[str, tuple[str, str, dict[str, Any]]] = {
    "admin": ("admin", "admin@test.example", {}),
    "aims_manager": (
        "manager",
        "manager@test.example",
        {"is_top_management": True, "risk_acceptance_limit": 20},
    ),
    "contributor": ("contributor", "owner@test.example", {"owned_processes": ["ai_lifecycle"]}),
    "internal_auditor": ("internal auditor", "auditor@test.example", {}),
    "staff": ("staff", "staff@test.example", {}),
    "external_auditor": ("external auditor", "guest@certbody.example", {}),
}


def _person(org: Any, role: str) -> Actor:
    name, email, designations = PEOPLE[role]
    if role == "external_auditor":
        designations = {"expires_at": timezone.now() + dt.timedelta(days=10)}
    return _actor(name, org, email, role, **designations)


@pytest.fixture
def admin(org: Any) -> Actor:
    return _person(org, "admin")


@pytest.fixture
def manager(org: Any) -> Actor:
    return _person(org, "aims_manager")


@pytest.fixture
def contributor(org: Any) -> Actor:
    return _person(org, "contributor")


@pytest.fixture
def internal_auditor(org: Any) -> Actor:
    return _person(org, "internal_auditor")


@pytest.fixture
def staff(org: Any) -> Actor:
    return _person(org, "staff")


@pytest.fixture
def external_auditor(org: Any) -> Actor:
    return _person(org, "external_auditor")


@pytest.fixture
def outsider(other_org: Any) -> Actor:
    """An admin of another organisation: must never see or change anything of `org`."""
    return _actor("outsider", other_org, "outsider@elsewhere.example", "admin")


@pytest.fixture
def everyone(
    admin: Actor,
    manager: Actor,
    contributor: Actor,
    internal_auditor: Actor,
    staff: Actor,
    external_auditor: Actor,
) -> dict[str, Actor]:
    return {
        "admin": admin,
        "aims_manager": manager,
        "contributor": contributor,
        "internal_auditor": internal_auditor,
        "staff": staff,
        "external_auditor": external_auditor,
    }


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The organisation, an actor for every role and an outsider, built once for a whole module
    inside a transaction that is rolled back after it. Each test of the module must also take
    `db`: its own changes then roll back to a savepoint, so tests stay independent while the
    costly setup is shared (Django's TestCase.setUpTestData does the same per class)."""
    from django.db import transaction

    from aimwell.accounts import services

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            org = services.create_organisation(
                name="Meridian Test", slug="meridian-test", actor="test"
            )
            other = services.create_organisation(
                name="Elsewhere Ltd", slug="elsewhere", actor="test"
            )
            yield {
                "org": org,
                "everyone": {role: _person(org, role) for role in PEOPLE},
                "outsider": _actor("outsider", other, "outsider@elsewhere.example", "admin"),
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
