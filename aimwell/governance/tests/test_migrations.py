"""Splitting governance out of the context app moved eight models with their tables: a database
migrated before the split, holding a row of every model (with their many-to-many rows) and the
rows that name a model by its label, keeps all of them after migrating forward, under the new app;
and the demo organisation survives the move back and forth with every governance row (runs on
SQLite and, in the PostgreSQL pass, on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aimwell.catalog.models import Framework
from aimwell.catalog.services import load_builtin_catalog
from aimwell.core.audit import object_types
from aimwell.demo import load_demo
from aimwell.governance.apps import MOVED_MODELS

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_SPLIT = [("context", "0002_last_reviewed"), ("governance", None)]
MODELS = (
    "Principle",
    "PrincipleLink",
    "AIMSRole",
    "RaciEntry",
    "OversightBody",
    "Meeting",
    "Decision",
    "LeadershipCommitment",
)


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


def _rows_before_the_split(old: Apps) -> dict[str, Any]:
    def model(name: str) -> Any:
        return old.get_model("context", name)

    org = old.get_model("accounts", "Organisation").objects.create(name="Old Co", slug="old-co")
    user = old.get_model("accounts", "User").objects.create(email="lead@old.example")
    member = old.get_model("accounts", "Membership").objects.create(
        organisation=org, user=user, role="manager"
    )
    system = old.get_model("inventory", "AISystem").objects.create(organisation=org, name="Scorer")
    principle = model("Principle").objects.create(
        organisation=org, name="Fairness", statement="Fair outcomes", status="adopted"
    )
    link = model("PrincipleLink").objects.create(
        organisation=org,
        principle=principle,
        object_type="inventory.aisystem",
        object_id=str(system.pk),
        object_label="Scorer",
    )
    role = model("AIMSRole").objects.create(organisation=org, name="AI governance lead")
    role.holders.add(member)
    raci = model("RaciEntry").objects.create(
        organisation=org, system=system, member=member, letter="A"
    )
    body = model("OversightBody").objects.create(
        organisation=org, name="Ethics committee", kind="ethics_committee", chair=member
    )
    body.members.add(member)
    meeting = model("Meeting").objects.create(
        organisation=org, body=body, held_on=dt.date(2026, 9, 15), title="Q3"
    )
    meeting.attendees.add(member)
    decision = model("Decision").objects.create(
        organisation=org,
        body=body,
        meeting=meeting,
        text="Pause CV screening",
        decided_on=dt.date(2026, 9, 15),
        status="open",
    )
    commitment = model("LeadershipCommitment").objects.create(
        organisation=org, made_by=member, made_on=dt.date(2026, 6, 2), commitment="Resource it"
    )
    settings = old.get_model("transparency", "TransparencySettings").objects.create(
        organisation=org, slug="old-co"
    )
    settings.principles.add(principle)
    # Rows that name a governance model by its label.
    evidence = old.get_model("evidence", "EvidenceItem").objects.create(
        organisation=org,
        title="Committee minutes",
        kind="record",
        source="context.meeting",
        effective_date="2026-09-15",
    )
    evidence_link = old.get_model("evidence", "EvidenceLink").objects.create(
        organisation=org,
        evidence=evidence,
        target_type="context.decision",
        target_id=decision.pk,
        target_label="Pause CV screening",
    )
    principle_link = model("PrincipleLink").objects.create(
        organisation=org,
        principle=principle,
        object_type="context.oversightbody",
        object_id=str(body.pk),
        object_label="Ethics committee",
    )
    flag = old.get_model("inventory", "ReviewFlag").objects.create(
        organisation=org,
        system=system,
        subject_type="context.decision",
        subject_id=str(decision.pk),
        subject_label="Decision",
        reason="the committee paused it",
        raised_by_label="lead@old.example",
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="context", model="principle"
    )[0]
    return {
        "member": member,
        "system": system,
        "principle": principle,
        "link": link,
        "role": role,
        "raci": raci,
        "body": body,
        "meeting": meeting,
        "decision": decision,
        "commitment": commitment,
        "settings": settings,
        "evidence": evidence,
        "evidence_link": evidence_link,
        "principle_link": principle_link,
        "flag": flag,
        "content_type": content_type,
    }


def test_governance_rows_keep_their_tables_and_the_labels_that_name_them_follow():
    before = _rows_before_the_split(_migrate(BEFORE_SPLIT))

    new = _migrate(_leaves())

    def model(name: str) -> Any:
        return new.get_model("governance", name)

    member = before["member"].pk
    principle = model("Principle").objects.get(pk=before["principle"].pk)
    assert (principle.name, principle.status) == ("Fairness", "adopted")
    link = model("PrincipleLink").objects.get(pk=before["link"].pk)
    assert (link.principle_id, link.object_type) == (principle.pk, "inventory.aisystem")
    role = model("AIMSRole").objects.get(pk=before["role"].pk)
    assert list(role.holders.values_list("pk", flat=True)) == [member]
    raci = model("RaciEntry").objects.get(pk=before["raci"].pk)
    assert (raci.system_id, raci.member_id, raci.letter) == (before["system"].pk, member, "A")
    body = model("OversightBody").objects.get(pk=before["body"].pk)
    assert (body.chair_id, list(body.members.values_list("pk", flat=True))) == (member, [member])
    meeting = model("Meeting").objects.get(pk=before["meeting"].pk)
    assert list(meeting.attendees.values_list("pk", flat=True)) == [member]
    decision = model("Decision").objects.get(pk=before["decision"].pk)
    assert (decision.body_id, decision.meeting_id) == (body.pk, meeting.pk)
    commitment = model("LeadershipCommitment").objects.get(pk=before["commitment"].pk)
    assert commitment.made_by_id == member
    settings = new.get_model("transparency", "TransparencySettings").objects.get(
        pk=before["settings"].pk
    )
    assert list(settings.principles.values_list("pk", flat=True)) == [principle.pk]

    assert new.get_model("evidence", "EvidenceItem").objects.get(
        pk=before["evidence"].pk
    ).source == ("governance.meeting")
    assert new.get_model("evidence", "EvidenceLink").objects.get(
        pk=before["evidence_link"].pk
    ).target_type == ("governance.decision")
    assert model("PrincipleLink").objects.get(pk=before["principle_link"].pk).object_type == (
        "governance.oversightbody"
    )
    assert new.get_model("inventory", "ReviewFlag").objects.get(
        pk=before["flag"].pk
    ).subject_type == ("governance.decision")
    content_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=before["content_type"].pk
    )
    assert (content_type.app_label, content_type.model) == ("governance", "principle")


def _counts(apps: Apps, app_label: str) -> dict[str, int]:
    return {name: apps.get_model(app_label, name).objects.count() for name in MODELS}


def test_the_demo_survives_the_move_back_and_forth():
    if not Framework.objects.filter(organisation__isnull=True).exists():
        load_builtin_catalog()  # a transactional test flushed it
    load_demo()
    new = _migrate(_leaves())
    counts = _counts(new, "governance")
    # The demo's governance: 5 principles, 4 roles, 1 body with 1 meeting and 3 decisions, and
    # 1 commitment (principle links and RACI cells depend on the demo's systems and people).
    assert {k: counts[k] for k in ("Principle", "AIMSRole", "OversightBody", "Meeting")} == {
        "Principle": 5,
        "AIMSRole": 4,
        "OversightBody": 1,
        "Meeting": 1,
    }
    assert (counts["Decision"], counts["LeadershipCommitment"]) == (3, 1)
    assert counts["RaciEntry"] > 0 and counts["PrincipleLink"] > 0

    old = _migrate(BEFORE_SPLIT)
    assert _counts(old, "context") == counts

    again = _migrate(_leaves())
    assert _counts(again, "governance") == counts
    content_types = again.get_model("contenttypes", "ContentType").objects
    assert not content_types.filter(app_label="context", model__in=[m.lower() for m in MODELS])


def test_audit_events_recorded_before_the_split_are_read_under_the_new_label():
    assert len(MOVED_MODELS) == len(MODELS)
    assert object_types("governance.decision") == ["governance.decision", "context.decision"]
