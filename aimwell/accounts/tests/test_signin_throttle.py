"""Sign-in throttling (django-axes): a brute force is stopped per account and per address, the
right password is refused during the cool-off, and an admin's unlock is recorded."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from typer.testing import CliRunner

from aimwell.accounts import services
from aimwell.core.models import AuditEvent

RIGHT = "x" * 14  # the conftest actors' password


def _sign_in(client: Client, email: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/signin/", {"username": email, "password": password}, **extra)


def _brute_force(client: Client, email: str, tries: int, **extra: str) -> list[int]:
    return [_sign_in(client, email, f"wrong-{n}", **extra).status_code for n in range(tries)]


def test_a_brute_force_is_locked_out_and_the_right_password_refused(contributor):
    limit = settings.AXES_FAILURE_LIMIT
    email = contributor.user.email
    codes = _brute_force(Client(), email.upper(), limit + 3)  # case does not dodge the count
    # The first limit-1 are the ordinary "wrong password" form; from the limit on, 429.
    assert codes[: limit - 1] == [200] * (limit - 1)
    assert set(codes[limit - 1 :]) == {429}

    refused = _sign_in(Client(), email, RIGHT)
    assert refused.status_code == 429
    assert "Sign-in paused" in refused.content.decode()
    assert int(refused["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "_auth_user_id" not in refused.client.session

    # Once the cool-off has passed (the attempts are made older), the right password works.
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    fresh = Client()
    assert _sign_in(fresh, email, RIGHT).status_code == 302
    assert fresh.session["_auth_user_id"] == str(contributor.user.pk)


def test_one_address_trying_many_accounts_is_locked_out(admin, contributor, staff):
    address = {"REMOTE_ADDR": "203.0.113.7"}
    limit = settings.AXES_FAILURE_LIMIT
    emails = [admin.user.email, contributor.user.email, staff.user.email]
    codes = [
        _sign_in(Client(), emails[n % 3], f"wrong-{n}", **address).status_code
        for n in range(limit + 1)
    ]
    assert codes[-1] == 429
    # Another address is not affected: each account has fewer than `limit` failures.
    elsewhere = {"REMOTE_ADDR": "198.51.100.2"}
    assert _sign_in(Client(), admin.user.email, RIGHT, **elsewhere).status_code == 302
    assert _sign_in(Client(), staff.user.email, RIGHT, **address).status_code == 429


def test_scripts_get_a_json_429(contributor):
    limit = settings.AXES_FAILURE_LIMIT
    _brute_force(Client(), contributor.user.email, limit)
    response = _sign_in(Client(), contributor.user.email, RIGHT, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Too many failed sign-in attempts" in response.json()["message"]
    assert response.json()["retry_after_minutes"] == settings.AXES_COOLOFF_TIME.seconds // 60


def test_admin_unlock_is_audited_and_lets_the_person_in(org, contributor):
    _brute_force(Client(), contributor.user.email, settings.AXES_FAILURE_LIMIT)
    assert _sign_in(Client(), contributor.user.email, RIGHT).status_code == 429
    cleared = services.unlock_sign_in(contributor.user, actor="test")
    assert cleared == 1  # one attempt record (this account from this address)
    assert _sign_in(Client(), contributor.user.email, RIGHT).status_code == 302
    event = AuditEvent.objects.get(action="user.signin_unlocked")
    assert event.organisation_id == org.id and event.object_id == str(contributor.user.pk)


def test_cli_unlock(contributor):
    from aimwell.cli import app

    _brute_force(Client(), contributor.user.email, settings.AXES_FAILURE_LIMIT)
    result = CliRunner().invoke(app, ["user", "unlock", contributor.user.email.upper()])
    assert result.exit_code == 0, result.output
    assert "Sign-in unlocked" in result.output
    assert _sign_in(Client(), contributor.user.email, RIGHT).status_code == 302
    missing = CliRunner().invoke(app, ["user", "unlock", "nobody@test.example"])
    assert missing.exit_code != 0 and "No user" in missing.output


def test_staff_are_refused_the_members_page_like_the_api(staff, contributor):
    assert staff.client.get("/members/").status_code == 403
    assert staff.api("GET", "/api/v1/members").status_code == 403
    assert "Members &amp; roles" not in staff.client.get("/").content.decode()
    assert contributor.client.get("/members/").status_code == 200


def test_an_admin_unlocks_a_member_from_their_page(org, admin, contributor):
    _brute_force(Client(), contributor.user.email, settings.AXES_FAILURE_LIMIT)
    page = admin.client.get(f"/members/{contributor.membership.pk}/").content.decode()
    assert "Unlock sign-in" in page
    done = admin.post(f"/members/{contributor.membership.pk}/unlock/")
    assert done.status_code == 302
    assert _sign_in(Client(), contributor.user.email, RIGHT).status_code == 302
    event = AuditEvent.objects.get(action="user.signin_unlocked")
    assert event.actor_id == admin.user.pk
    # Only admins: the contributor cannot unlock anyone (here, the admin).
    assert contributor.post(f"/members/{admin.membership.pk}/unlock/").status_code == 403
