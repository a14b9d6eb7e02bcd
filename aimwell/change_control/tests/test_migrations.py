"""Moving change requests out of the lifecycle app kept their table: a database migrated before
the move, holding a change request and the rows that name one by its label (its reference
counter, the evidence it produced, principle and evidence links, a review flag), keeps all of
them after migrating forward, under the new app (runs on SQLite and, in the PostgreSQL pass, on
PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aimwell.change_control.models import ChangeRequest
from aimwell.core.audit import object_types
from aimwell.core.references import next_reference

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MOVE = [("lifecycle", "0001_initial"), ("change_control", None)]
OLD, NEW = "lifecycle.changerequest", "change_control.changerequest"


def _migrate(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate to the targets; the models as the applied migrations left them."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [
        key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes
    ]
    return executor.loader.project_state(applied).apps


def _leaves() -> list[tuple[str, str | None]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _rows_before_the_move(old: Apps) -> dict[str, Any]:
    org = old.get_model("accounts", "Organisation").objects.create(name="Old Co", slug="old-co")
    system = old.get_model("inventory", "AISystem").objects.create(organisation=org, name="Scorer")
    change = old.get_model("lifecycle", "ChangeRequest").objects.create(
        organisation=org,
        reference="CR-004",
        title="Retrain on 2026 data",
        scope="system",
        system=system,
        reason="Drift",
        what_changes="The model",
        status="approved",
    )
    counter = old.get_model("core", "ReferenceCounter").objects.create(
        organisation_id=org.pk, kind=f"{OLD}:CR", last=4
    )
    evidence = old.get_model("evidence", "EvidenceItem").objects.create(
        organisation=org,
        title="Change CR-004 approved",
        kind="record",
        source=OLD,
        effective_date="2026-03-02",
    )
    evidence_link = old.get_model("evidence", "EvidenceLink").objects.create(
        organisation=org,
        evidence=evidence,
        target_type=OLD,
        target_id=change.pk,
        target_label="CR-004",
    )
    principle = old.get_model("context", "Principle").objects.create(
        organisation=org, name="Accountability", statement="s"
    )
    link = old.get_model("context", "PrincipleLink").objects.create(
        organisation=org,
        principle=principle,
        object_type=OLD,
        object_id=str(change.pk),
        object_label="CR-004",
    )
    flag = old.get_model("inventory", "ReviewFlag").objects.create(
        organisation=org,
        system=system,
        subject_type=OLD,
        subject_id=str(change.pk),
        subject_label="Change CR-004",
        reason="new model version",
        raised_by_label="old@example.com",
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="lifecycle", model="changerequest"
    )[0]
    return {
        "org": org,
        "system": system,
        "change": change,
        "counter": counter,
        "evidence": evidence,
        "evidence_link": evidence_link,
        "link": link,
        "flag": flag,
        "content_type": content_type,
    }


def test_change_requests_keep_their_rows_and_the_labels_that_name_them_follow():
    before = _rows_before_the_move(_migrate(BEFORE_MOVE))

    new = _migrate(_leaves())
    change = new.get_model("change_control", "ChangeRequest").objects.get(pk=before["change"].pk)
    assert (change.reference, change.status, change.system_id) == (
        "CR-004",
        "approved",
        before["system"].pk,
    )
    counter = new.get_model("core", "ReferenceCounter").objects.get(pk=before["counter"].pk)
    assert (counter.kind, counter.last) == (f"{NEW}:CR", 4)
    evidence = new.get_model("evidence", "EvidenceItem").objects.get(pk=before["evidence"].pk)
    assert evidence.source == NEW
    evidence_link = new.get_model("evidence", "EvidenceLink").objects.get(
        pk=before["evidence_link"].pk
    )
    assert evidence_link.target_type == NEW
    link = new.get_model("governance", "PrincipleLink").objects.get(pk=before["link"].pk)
    assert link.object_type == NEW
    flag = new.get_model("inventory", "ReviewFlag").objects.get(pk=before["flag"].pk)
    assert flag.subject_type == NEW
    content_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=before["content_type"].pk
    )
    assert (content_type.app_label, content_type.model) == tuple(NEW.split("."))

    # Numbering carries on from the counter: CR-004 was the last one given.
    assert next_reference(ChangeRequest, before["org"].pk, "CR") == "CR-005"


def test_audit_events_recorded_before_the_move_are_read_under_the_new_label():
    assert object_types(NEW) == [NEW, OLD]
