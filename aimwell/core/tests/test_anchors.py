"""Anchoring the audit chain outside the database: a restored older copy of the database verifies
as intact on its own but not against the anchors (issue 16, Why 6)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from typer.testing import CliRunner

from aimwell.accounts import services as accounts
from aimwell.cli import app
from aimwell.core import anchors
from aimwell.core.models import AuditChainHead

pytestmark = pytest.mark.django_db


def _copy_database(path: Path) -> None:
    """What a backup holds: the whole database as it is now (read through the test's own
    connection, which sees its uncommitted rows; sqlite's backup API would wait on its lock)."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        target.executescript("\n".join(connection.connection.iterdump()))
    finally:
        target.close()


def _aimwell(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env["DJANGO_SETTINGS_MODULE"] = "aimwell.test_settings"
    return subprocess.run(
        [sys.executable, "-m", "aimwell", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _member(org, email: str) -> None:
    accounts.add_member(
        org, email=email, full_name=email, role="staff", password="x" * 14, actor="test"
    )


def test_a_restored_older_database_fails_verification_against_the_anchor(org, tmp_path):
    if connection.vendor != "sqlite":
        _rolled_back_in_place(org, tmp_path)
        return
    _member(org, "first@example.org")
    older, newer, witness = tmp_path / "older.db", tmp_path / "newer.db", tmp_path / "anchors"
    _copy_database(older)
    _member(org, "later@example.org")
    _copy_database(newer)

    anchored = _aimwell(newer, "audit", "anchor", "--dir", str(witness))
    assert anchored.returncode == 0, anchored.stderr + anchored.stdout
    anchor_path = witness / f"{org.pk}.jsonl"
    record = json.loads(anchor_path.read_text().splitlines()[-1])
    assert record["seq"] == AuditChainHead.objects.get(organisation=org).seq

    # The newer database agrees with its anchor.
    assert _aimwell(newer, "audit", "verify", "--anchors", str(witness)).returncode == 0
    # The older copy, restored, is self-consistent: the chain alone cannot tell.
    assert _aimwell(older, "audit", "verify").returncode == 0
    restored = _aimwell(older, "audit", "verify", "--anchors", str(witness))
    assert restored.returncode == 1
    assert f"{org.pk}.jsonl:1" in restored.stdout
    assert "rolled back" in restored.stdout


def _rolled_back_in_place(org, tmp_path) -> None:
    """On PostgreSQL: the state a restored backup leaves (newest events gone, the head moved back
    consistently, as it was then), produced in place."""
    from aimwell.core.audit import _checkpoint_mac, _key, _uuid_text
    from aimwell.core.models import AuditEvent

    _member(org, "first@example.org")
    old_head = AuditChainHead.objects.get(organisation=org)
    old_seq, old_mac = old_head.seq, old_head.mac
    _member(org, "later@example.org")
    witness = tmp_path / "anchors"
    assert CliRunner().invoke(app, ["audit", "anchor", "--dir", str(witness)]).exit_code == 0
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(
            f"DELETE FROM {table} WHERE organisation_id = %s AND seq > %s",  # noqa: S608
            [org.pk, old_seq],
        )
    checkpoint = _checkpoint_mac(_key(), _uuid_text(org.pk), old_seq, old_mac)
    AuditChainHead.objects.filter(organisation=org).update(
        seq=old_seq, mac=old_mac, checkpoint_mac=checkpoint
    )
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
    result = CliRunner().invoke(app, ["audit", "verify", "--anchors", str(witness)])
    assert result.exit_code == 1
    assert f"{org.pk}.jsonl:1" in result.output and "rolled back" in result.output


def test_a_chain_diverging_from_an_anchor_is_named(org, tmp_path):
    _member(org, "a@example.org")
    witness = tmp_path / "anchors"
    real = anchors.current_anchor(org.pk)
    # An anchor of the same sequence with another MAC, properly signed: the database's event at
    # that sequence is not the one that was anchored.
    other_mac = "f" * 64
    forged_at = real.at
    diverged = anchors.Anchor(
        real.organisation_id,
        real.seq,
        other_mac,
        forged_at,
        anchors._sign(real.organisation_id, real.seq, other_mac, forged_at),
    )
    anchors.append(witness, real)
    anchors.append(witness, diverged)
    result = CliRunner().invoke(app, ["audit", "verify", "--anchors", str(witness)])
    assert result.exit_code == 1
    assert f"{org.pk}.jsonl:2" in result.output and "diverged" in result.output


def test_an_edited_anchor_is_refused_and_an_honest_one_passes(org, tmp_path):
    _member(org, "a@example.org")
    witness = tmp_path / "anchors"
    result = CliRunner().invoke(app, ["audit", "anchor", "--dir", str(witness)])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(app, ["audit", "verify", "--anchors", str(witness)]).exit_code == 0
    path = witness / f"{org.pk}.jsonl"
    record = json.loads(path.read_text())
    record["seq"] += 5  # claims a longer chain without the key
    with path.open("a") as handle:
        handle.write(json.dumps(record) + "\n")
    result = CliRunner().invoke(app, ["audit", "verify", "--anchors", str(witness)])
    assert result.exit_code == 1 and "signature does not match" in result.output


def test_the_worker_task_anchors_every_chain(org, tmp_path, settings):
    from aimwell.core import tasks

    _member(org, "a@example.org")
    settings.AIMWELL_AUDIT_ANCHOR_DIR = str(tmp_path)
    outcome = tasks.anchor_chains.call(reschedule=False)
    assert outcome["anchored"] >= 1
    assert (tmp_path / f"{org.pk}.jsonl").exists()
