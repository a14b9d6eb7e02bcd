"""The demo loader is idempotent and the CLI gives clear messages."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from aimwell.accounts.models import Membership, Organisation
from aimwell.cli import app
from aimwell.core import audit
from aimwell.core.models import AuditEvent
from aimwell.demo import DEMO_SLUG, load_demo

runner = CliRunner()


def _state() -> tuple[int, int, int]:
    return (Organisation.objects.count(), Membership.objects.count(), AuditEvent.objects.count())


def test_cli_demo_loads_every_role_prints_a_short_summary_and_twice_changes_nothing(
    db, monkeypatch
):
    """The whole demo, loaded the way `make run` loads it: the only test that loads it from
    scratch (the others read the worker's copy through `demo_org`)."""
    monkeypatch.setenv("AIMWELL_ADMIN_PASSWORD", "demo-admin-password")
    monkeypatch.setenv("AIMWELL_DEMO_PASSWORD", "members-pass-42")
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    first = result.output
    assert "Open http://127.0.0.1:8000/ and sign in as the admin:" in first
    # make run used to print every created record on one line of about 4,000 characters
    assert max(len(line) for line in first.splitlines()) <= 100
    assert "password: members-pass-42" in first
    assert "records created (--verbose lists them)" in first

    org = Organisation.objects.get(slug=DEMO_SLUG)
    members = Membership.objects.filter(organisation=org).select_related("user")
    assert set(members.values_list("role", flat=True)) == {
        "admin",
        "aims_manager",
        "contributor",
        "internal_auditor",
        "staff",
        "external_auditor",
    }
    assert members.filter(is_top_management=True).exists()
    for membership in members:
        assert membership.user.email in first
        password = "demo-admin-password" if membership.role == "admin" else "members-pass-42"
        assert membership.user.check_password(password)

    before = _state()
    again = runner.invoke(app, ["demo", "--verbose"]).output
    assert "nothing new to create" in again and "password: members-pass-42" in again
    assert load_demo().created == []
    assert _state() == before
    assert audit.verify_organisation(org.id)[1] is None
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_cli_user_and_token_create(demo_org):
    ok = runner.invoke(
        app,
        [
            "user",
            "create",
            "new@meridian.example",
            "--organisation",
            DEMO_SLUG,
            "--role",
            "staff",
            "--password",
            "correct-horse-battery",
        ],
    )
    assert ok.exit_code == 0, ok.output
    token = runner.invoke(
        app, ["token", "create", "new@meridian.example", "--organisation", DEMO_SLUG]
    )
    assert token.exit_code == 0
    assert "aw_" in token.output


def test_cli_errors_are_messages_not_tracebacks(demo_org):
    bad_role = runner.invoke(
        app,
        [
            "user",
            "create",
            "x@m.example",
            "--organisation",
            DEMO_SLUG,
            "--role",
            "wizard",
            "--password",
            "correct-horse-battery",
        ],
    )
    assert bad_role.exit_code == 2 and "Unknown role" in bad_role.output
    bad_org = runner.invoke(app, ["audit", "verify", "--organisation", "nope"])
    assert bad_org.exit_code == 2 and "No organisation" in bad_org.output
    weak = runner.invoke(
        app,
        [
            "user",
            "create",
            "y@m.example",
            "--organisation",
            DEMO_SLUG,
            "--role",
            "staff",
            "--password",
            "123",
        ],
    )
    assert weak.exit_code == 2 and "too short" in weak.output
    assert "Traceback" not in bad_role.output + bad_org.output + weak.output


def test_every_command_has_help():
    for command in (
        ["serve"],
        ["migrate"],
        ["demo"],
        ["user", "create"],
        ["token", "create"],
        ["audit", "verify"],
        ["classify"],
        ["systems", "list"],
        ["catalog", "show"],
    ):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_a_file_that_cannot_be_written_is_a_message(demo_org, tmp_path, monkeypatch, capsys):
    from aimwell.cli import main

    target = tmp_path / "missing-folder" / "systems.csv"
    monkeypatch.setattr(
        "sys.argv",
        ["aimwell", "systems", "export", "--organisation", DEMO_SLUG, "--out", str(target)],
    )
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    output = capsys.readouterr().err
    assert "No such file or directory" in output and str(target) in output
    assert "Traceback" not in output and not target.exists()


def test_serve_believes_forwarded_headers_only_from_the_configured_proxy():
    from waitress.adjustments import Adjustments

    from aimwell.cli import proxy_options

    direct = Adjustments(**proxy_options(""))
    assert direct.trusted_proxy is None and direct.clear_untrusted_proxy_headers
    behind = Adjustments(**proxy_options("127.0.0.1"))
    assert behind.trusted_proxy == "127.0.0.1" and behind.trusted_proxy_count == 1
    assert {"x-forwarded-for", "x-forwarded-proto"} <= set(behind.trusted_proxy_headers)
    assert behind.clear_untrusted_proxy_headers
