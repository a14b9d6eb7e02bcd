"""Splitting the EU AI Act classification out of the inventory moved two models with their tables:
a database migrated before the split, holding a rule set, a classification and the rows that name
a classification by its label, keeps all of them after migrating forward, under the new app (runs
on SQLite and, in the PostgreSQL pass, on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aimwell.classification.apps import MOVED_MODELS
from aimwell.core.audit import object_types

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_SPLIT = [("inventory", "0005_several_eu_roles"), ("classification", None)]


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
    org = old.get_model("accounts", "Organisation").objects.create(name="Old Co", slug="old-co")
    user = old.get_model("accounts", "User").objects.create(email="old@example.com")
    system = old.get_model("inventory", "AISystem").objects.create(organisation=org, name="Scorer")
    rule_set = old.get_model("inventory", "RuleSet").objects.create(
        key="eu-ai-act-classification", version="0.0-split", title="Rules", content={}, sha256="0"
    )
    decision = old.get_model("inventory", "Classification").objects.create(
        organisation=org,
        system=system,
        ruleset=rule_set,
        answers={"is_ai_system": True},
        risk_class="high",
        operator_roles=["provider"],
        decided_by=user,
        decided_by_label="old@example.com",
    )
    flag = old.get_model("inventory", "ReviewFlag").objects.create(
        organisation=org,
        system=system,
        subject_type="inventory.classification",
        subject_id=str(decision.pk),
        subject_label="EU AI Act classification of Scorer",
        reason="new model version",
        raised_by_label="old@example.com",
    )
    other_flag = old.get_model("inventory", "ReviewFlag").objects.create(
        organisation=org,
        system=system,
        subject_type="risks.risk",
        subject_id="1",
        subject_label="Risk R-001",
        reason="new model version",
        raised_by_label="old@example.com",
    )
    principle = old.get_model("context", "Principle").objects.create(
        organisation=org, name="Fairness", statement="s"
    )
    link = old.get_model("context", "PrincipleLink").objects.create(
        organisation=org,
        principle=principle,
        object_type="inventory.classification",
        object_id=str(decision.pk),
        object_label="Scorer: high",
    )
    evidence = old.get_model("evidence", "EvidenceItem").objects.create(
        organisation=org, title="Classification memo", kind="record", effective_date="2026-03-02"
    )
    evidence_link = old.get_model("evidence", "EvidenceLink").objects.create(
        organisation=org,
        evidence=evidence,
        target_type="inventory.classification",
        target_id=decision.pk,
        target_label="Scorer: high",
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="inventory", model="classification"
    )[0]
    return {
        "rule_set": rule_set,
        "decision": decision,
        "system": system,
        "flag": flag,
        "other_flag": other_flag,
        "link": link,
        "evidence_link": evidence_link,
        "content_type": content_type,
    }


def test_the_classification_keeps_its_rows_and_the_labels_that_name_it_follow():
    old = _migrate(BEFORE_SPLIT)
    assert set(MOVED_MODELS) == {"inventory.ruleset", "inventory.classification"}
    before = _rows_before_the_split(old)

    new = _migrate(_leaves())
    rule_set = new.get_model("classification", "RuleSet").objects.get(pk=before["rule_set"].pk)
    assert (rule_set.key, rule_set.version) == ("eu-ai-act-classification", "0.0-split")
    decision = new.get_model("classification", "Classification").objects.get(
        pk=before["decision"].pk
    )
    assert (decision.system_id, decision.ruleset_id, decision.risk_class) == (
        before["system"].pk,
        rule_set.pk,
        "high",
    )
    assert decision.answers == {"is_ai_system": True}
    assert decision.operator_roles == ["provider"]

    flags = new.get_model("inventory", "ReviewFlag").objects
    assert flags.get(pk=before["flag"].pk).subject_type == "classification.classification"
    assert flags.get(pk=before["other_flag"].pk).subject_type == "risks.risk"
    link = new.get_model("governance", "PrincipleLink").objects.get(pk=before["link"].pk)
    assert link.object_type == "classification.classification"
    evidence_link = new.get_model("evidence", "EvidenceLink").objects.get(
        pk=before["evidence_link"].pk
    )
    assert evidence_link.target_type == "classification.classification"
    content_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=before["content_type"].pk
    )
    assert (content_type.app_label, content_type.model) == ("classification", "classification")


def test_audit_events_recorded_before_the_split_are_read_under_the_new_label():
    # Events keep "inventory.classification" (the label is part of their MAC).
    assert object_types("classification.classification") == [
        "classification.classification",
        "inventory.classification",
    ]
    assert object_types("inventory.ruleset") == ["classification.ruleset", "inventory.ruleset"]
