"""The audit chain detects every kind of tampering the issue names, through the CLI too."""

from __future__ import annotations

import hmac

import pytest
from django.db import connection
from typer.testing import CliRunner

from aimwell.accounts import services
from aimwell.cli import app
from aimwell.core import audit
from aimwell.core.models import AuditChainHead, AuditEvent

runner = CliRunner()


@pytest.fixture
def chain(org, admin):
    """An organisation with a dozen real events written through services."""
    for i in range(10):
        services.add_member(org, email=f"p{i}@test.example", role="staff", actor=admin.user)
    return org


def _verify(org):
    return audit.verify_organisation(org.id)


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_verifies(chain):
    checked, problem = _verify(chain)
    assert problem is None
    assert checked == AuditEvent.objects.filter(organisation=chain).count() >= 11
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "All chains intact" in result.output


def test_edited_row_is_named(chain):
    _sql(
        "UPDATE core_auditevent SET object_repr = %s WHERE organisation_id = %s AND seq = 5",
        ["forged", chain.id.hex if connection.vendor == "sqlite" else chain.id],
    )
    _, problem = _verify(chain)
    assert problem is not None and problem.seq == 5
    assert "MAC" in problem.reason
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "event #5" in result.output


def _org_param(org):
    return org.id.hex if connection.vendor == "sqlite" else org.id


def test_deleted_row_is_detected(chain):
    _sql("DELETE FROM core_auditevent WHERE organisation_id = %s AND seq = 4", [_org_param(chain)])
    _, problem = _verify(chain)
    assert problem is not None and problem.seq == 4
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 1


def test_swapped_rows_are_detected(chain):
    org = _org_param(chain)
    _sql("UPDATE core_auditevent SET seq = 1000 WHERE organisation_id = %s AND seq = 3", [org])
    _sql("UPDATE core_auditevent SET seq = 3 WHERE organisation_id = %s AND seq = 6", [org])
    _sql("UPDATE core_auditevent SET seq = 6 WHERE organisation_id = %s AND seq = 1000", [org])
    _, problem = _verify(chain)
    assert problem is not None and problem.seq == 3
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 1


def test_deleting_the_newest_events_is_detected(chain):
    last = AuditChainHead.objects.get(organisation=chain).seq
    _sql(
        "DELETE FROM core_auditevent WHERE organisation_id = %s AND seq > %s",
        [_org_param(chain), last - 2],
    )
    _, problem = _verify(chain)
    assert problem is not None
    assert "newest events" in problem.reason
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 1


def test_rewriting_the_whole_chain_without_the_key_is_detected(chain):
    """An attacker with database access but not the key recomputes every MAC and the head."""
    forged_key = b"attacker-guess-of-the-key-0123456789"
    org = chain.id.hex
    prev = audit.GENESIS_MAC
    rows = list(
        AuditEvent.objects.filter(organisation=chain)
        .order_by("seq")
        .values_list("id", *audit._VERIFY_COLUMNS[:-2])
    )
    for row in rows:
        event_id, content = row[0], row[1:]
        mac = audit._event_mac(forged_key, org, (*content, prev))
        _sql(
            "UPDATE core_auditevent SET prev_mac = %s, mac = %s WHERE id = %s",
            [prev, mac, event_id],
        )
        prev = mac
    checkpoint = hmac.digest(
        forged_key, "\x1f".join(("checkpoint", org, str(len(rows)), prev)).encode(), "sha256"
    ).hex()
    _sql(
        "UPDATE core_auditchainhead SET mac = %s, checkpoint_mac = %s WHERE organisation_id = %s",
        [prev, checkpoint, _org_param(chain)],
    )
    _, problem = _verify(chain)
    assert problem is not None and problem.seq == 1
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 1


def test_events_cannot_be_changed_through_the_orm(chain):
    event = AuditEvent.objects.filter(organisation=chain).first()
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(organisation=chain).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(organisation=chain).delete()


def test_events_record_before_and_after(org, admin, manager):
    services.update_membership(manager.membership, actor=admin.user, role="contributor")
    event = AuditEvent.objects.filter(organisation=org).order_by("-seq").first()
    assert event.action == "membership.updated"
    assert event.actor_id == admin.user.pk
    assert '"role":["aims_manager","contributor"]' in event.changes


def test_chains_of_two_organisations_are_independent(chain, other_org, outsider):
    _sql(
        "UPDATE core_auditevent SET action = 'x' WHERE organisation_id = %s AND seq = 1",
        [_org_param(other_org)],
    )
    assert _verify(chain)[1] is None
    assert _verify(other_org)[1] is not None
    result = runner.invoke(app, ["audit", "verify", "--organisation", chain.slug])
    assert result.exit_code == 0


def test_the_text_the_database_builds_is_the_text_each_mac_was_made_from(org, admin):
    """Verification has the database build each event's canonical text: it must equal the text
    `_event_mac` joined when the event was written, for a person and for no actor, non-ASCII
    text, and a time on a whole second (SQLite then stores no fraction)."""
    import datetime as dt

    audit.record_events(
        organisation_id=org.id,
        actor=admin.user,
        events=[audit.PendingEvent("x.updated", "x.thing", "1", "Zoë — ✓", {"a": ["é", None]})],
    )
    audit.record_events(
        organisation_id=org.id,
        actor=None,
        events=[audit.PendingEvent("x.created", "x.thing", "2", "plain", None)],
    )
    whole = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    key, org_text, prev = audit._key(), org.id.hex, audit.GENESIS_MAC
    rows = list(
        AuditEvent.objects.filter(organisation=org)
        .order_by("seq")
        .values_list("id", *audit._VERIFY_COLUMNS[:-2])
    )
    for row in rows:  # every event rewritten with the key as if written at that whole second
        event_id, content = row[0], (row[1], whole, *row[3:])
        mac = audit._event_mac(key, org_text, (*content, prev))
        _sql(
            "UPDATE core_auditevent SET occurred_at = %s, prev_mac = %s, mac = %s WHERE id = %s",
            [whole if connection.vendor == "postgresql" else "2026-01-02 03:04:05", prev, mac,
             event_id],
        )  # fmt: skip
        prev = mac
    checkpoint = audit._checkpoint_mac(key, org_text, len(rows), prev)
    _sql(
        "UPDATE core_auditchainhead SET seq = %s, mac = %s, checkpoint_mac = %s "
        "WHERE organisation_id = %s",
        [len(rows), prev, checkpoint, _org_param(org)],
    )
    assert AuditEvent.objects.filter(organisation=org, actor_id__isnull=True).exists()
    assert AuditEvent.objects.filter(organisation=org, actor_id=admin.user.pk).exists()
    assert _verify(org) == (len(rows), None)
