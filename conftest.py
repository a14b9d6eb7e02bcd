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
    from aimwell.classification.services import sync_rule_sets

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


# The demo organisation costs 30-60 s to load (monitoring runs, readiness snapshots, PDFs), and
# about twenty tests read it. Each test worker loads it once into a copy of its test database
# (SQLite: an in-memory copy made with the online backup API; PostgreSQL: a database created
# from the test database as its template), and a test that asks for `demo_org` runs on that copy:
# copied back in before it on SQLite, connected to on PostgreSQL, and rolled back after it like
# any test. Every such test starts from a freshly loaded demo, and tests that do not ask for it
# never see it.
DEMO_ADMIN_PASSWORD = "demo-admin-password"  # noqa: S105 (test-only)
DEMO_MEMBERS_PASSWORD = "demo-members-password"  # noqa: S105 (test-only)


def _demo_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMWELL_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD)
    monkeypatch.setenv("AIMWELL_DEMO_PASSWORD", DEMO_MEMBERS_PASSWORD)


def _load_demo() -> None:
    from aimwell.catalog.models import Framework
    from aimwell.catalog.services import load_builtin_catalog
    from aimwell.demo import load_demo

    if not Framework.objects.filter(organisation__isnull=True).exists():
        load_builtin_catalog()  # a transactional test flushed it
    with pytest.MonkeyPatch.context() as env:
        _demo_environment(env)
        load_demo()


class DemoCopies:
    """The worker's test database with the demo loaded, kept beside the database without it."""

    def __init__(self) -> None:
        self.base: Any = None  # SQLite: the database without the demo
        self.loaded: Any = None  # SQLite: with it
        self.base_name = ""  # PostgreSQL: the test database's name
        self.copy_name = ""  # PostgreSQL: the copy's

    @staticmethod
    def _connection() -> Any:
        from django.db import connection

        # Replacing the database under an open transaction would tear the transaction apart.
        assert not connection.in_atomic_block, "demo_org: take it instead of the django_db marker"
        return connection

    def copy_in(self) -> None:
        """Makes the live database the freshly loaded demo."""
        connection = self._connection()
        if connection.vendor == "sqlite":
            import sqlite3

            connection.ensure_connection()
            live = connection.connection
            if self.loaded is None:
                self.base = sqlite3.connect(":memory:")
                live.backup(self.base)
                _load_demo()
                self.loaded = sqlite3.connect(":memory:")
                live.backup(self.loaded)
            self.loaded.backup(live)
            return
        if not self.copy_name:
            self.base_name = connection.settings_dict["NAME"]
            self.copy_name = f"{self.base_name}_demo"
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}"')
                cursor.execute(f'CREATE DATABASE "{self.copy_name}" TEMPLATE "{self.base_name}"')
            self._use(self.copy_name)
            _load_demo()
        self._use(self.copy_name)

    def copy_out(self) -> None:
        """Makes the live database the one without the demo again."""
        connection = self._connection()
        if connection.vendor == "sqlite":
            self.base.backup(connection.connection)
        else:
            self._use(self.base_name)

    def drop(self) -> None:
        if self.copy_name:
            connection = self._connection()
            self._use(self.base_name)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}"')

    def _use(self, name: str) -> None:
        connection = self._connection()
        if connection.settings_dict["NAME"] != name:
            connection.close()
            connection.settings_dict["NAME"] = name


@pytest.fixture(scope="session")
def demo_copies(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoCopies]:
    copies = DemoCopies()
    yield copies
    with django_db_blocker.unblock():
        copies.drop()


@pytest.fixture(autouse=True)
def _demo_database(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    """Puts the loaded demo in before a test that asks for `demo_org`, before its transaction
    begins (autouse fixtures are set up before the `db` fixture), and the database without it
    back after the transaction has rolled back."""
    if "demo_org" not in request.fixturenames:
        yield
        return
    assert "transactional_db" not in request.fixturenames, "demo_org runs inside a transaction"
    copies: DemoCopies = request.getfixturevalue("demo_copies")
    with django_db_blocker.unblock():
        copies.copy_in()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            copies.copy_out()


@pytest.fixture
def demo_org(db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Meridian Lending as `aimwell demo` leaves it (the admin's and the other members' passwords
    are DEMO_ADMIN_PASSWORD and DEMO_MEMBERS_PASSWORD)."""
    from aimwell.demo import demo_organisation

    _demo_environment(monkeypatch)
    return demo_organisation()
