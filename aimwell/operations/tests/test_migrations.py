"""Splitting operations into one app per domain moved fifteen models with their tables: a database
migrated before the split, holding a row of every model and the rows that name a model by its
label, keeps all of them after migrating forward, under the new apps (runs on SQLite and, in the
PostgreSQL pass, on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aimwell.core.references import next_reference
from aimwell.incidents.models import Incident
from aimwell.operations.apps import MOVED_MODELS

pytestmark = pytest.mark.django_db(transaction=True)

NEW_APPS = (
    "internal_audit",
    "improvement",
    "management_review",
    "incidents",
    "objectives",
    "competence",
    "notifications",
)
BEFORE_SPLIT = [
    ("operations", "0002_concern_source"),
    ("certification", "0001_initial"),
    *[(app, None) for app in NEW_APPS],
]
OLD_TASK = "aimwell.operations.tasks.daily_reminders"
NEW_TASK = "aimwell.notifications.tasks.daily_reminders"


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
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


def _rows_before_the_split(old: Apps) -> dict[str, Any]:
    """One row of every moved model, written through the models as they were before the split."""

    def model(name: str) -> Any:
        return old.get_model("operations", name)

    org = old.get_model("accounts", "Organisation").objects.create(name="Old Co", slug="old-co")
    user = old.get_model("accounts", "User").objects.create(email="old@example.com")
    system = old.get_model("inventory", "AISystem").objects.create(organisation=org, name="Scorer")
    common = {"organisation": org}
    day = dt.date(2026, 3, 2)
    programme = model("AuditProgramme").objects.create(
        **common, title="Cycle", cycle_start=day, cycle_end=day
    )
    audit = model("Audit").objects.create(
        **common,
        reference="IA-007",
        title="Audit",
        scope="All",
        planned_start=day,
        planned_end=day,
        programme=programme,
    )
    item = model("ChecklistItem").objects.create(**common, audit=audit, question="Is it?")
    finding = model("Finding").objects.create(
        **common, audit=audit, reference="F-001", kind="major", title="Gap", description="d"
    )
    incident = model("Incident").objects.create(
        **common, reference="INC-004", title="Drift", description="d", severity="high"
    )
    incident.systems.add(system)
    concern = model("Concern").objects.create(
        **common, reference="CON-002", category="other", description="d"
    )
    review = model("ManagementReview").objects.create(**common, title="Q1", planned_on=day)
    nc = model("Nonconformity").objects.create(
        **common,
        reference="NC-009",
        title="Gap",
        description="d",
        source="audit",
        finding=finding,
        incident=incident,
        concern=concern,
        review=review,
    )
    action = model("Action").objects.create(**common, title="Fix", nonconformity=nc)
    objective = model("AIObjective").objects.create(
        **common, title="Parity", measure="ratio", target=0.8, due_date=day
    )
    measurement = model("Measurement").objects.create(**common, objective=objective, value=0.9)
    course = model("Course").objects.create(**common, key="ai-basics", title="AI basics")
    competence = model("Competence").objects.create(
        **common, role="staff", name="Knows AI", course=course
    )
    record = model("TrainingRecord").objects.create(**common, course=course, user=user)
    note = model("Notification").objects.create(
        **common, user=user, kind="reminder", title="Due", key="k-1"
    )
    project = old.get_model("certification", "CertificationProject").objects.create(**common)
    external = old.get_model("certification", "ExternalAudit").objects.create(
        **common, project=project, kind="stage_1", planned_start=day, planned_end=day
    )
    outside = old.get_model("certification", "ExternalFinding").objects.create(
        **common, audit=external, reference="EF-001", grade="major", title="t", nonconformity=nc
    )
    counter = old.get_model("core", "ReferenceCounter").objects.create(
        organisation_id=org.pk, kind="operations.incident:INC", last=41
    )
    principle = old.get_model("context", "Principle").objects.create(
        **common, name="Fairness", statement="s"
    )
    link = old.get_model("context", "PrincipleLink").objects.create(
        **common,
        principle=principle,
        object_type="operations.aiobjective",
        object_id=str(objective.pk),
        object_label="Parity",
    )
    task = old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        id=uuid.uuid4(),
        task_path=OLD_TASK,
        args_kwargs={"args": [], "kwargs": {}},
        enqueued_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        run_after=dt.datetime(2026, 3, 3, 6, tzinfo=dt.UTC),
        backend_name="default",
        exception_class_path="",
        traceback="",
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="operations", model="incident"
    )[0]
    rows = {
        "internal_audit.auditprogramme": programme,
        "internal_audit.audit": audit,
        "internal_audit.checklistitem": item,
        "internal_audit.finding": finding,
        "improvement.nonconformity": nc,
        "improvement.action": action,
        "management_review.managementreview": review,
        "incidents.incident": incident,
        "incidents.concern": concern,
        "objectives.aiobjective": objective,
        "objectives.measurement": measurement,
        "competence.course": course,
        "competence.competence": competence,
        "competence.trainingrecord": record,
        "notifications.notification": note,
    }
    return {
        "rows": rows,
        "system": system,
        "outside": outside,
        "counter": counter,
        "link": link,
        "task": task,
        "content_type": content_type,
        "org": org,
    }


def test_every_moved_model_keeps_its_rows_and_the_labels_that_name_it_follow():
    old = _migrate(BEFORE_SPLIT)
    assert set(MOVED_MODELS) == {
        f"operations.{m._meta.model_name}" for m in old.get_app_config("operations").get_models()
    }
    before = _rows_before_the_split(old)

    new = _migrate(_leaves())
    for label, row in before["rows"].items():
        app_label, model_name = label.split(".")
        assert new.get_model(app_label, model_name).objects.filter(pk=row.pk).exists(), label
    assert set(before["rows"]) == set(MOVED_MODELS.values())

    nc = new.get_model("improvement", "Nonconformity").objects.get(
        pk=before["rows"]["improvement.nonconformity"].pk
    )
    assert (nc.finding_id, nc.incident_id, nc.concern_id, nc.review_id) == (
        before["rows"]["internal_audit.finding"].pk,
        before["rows"]["incidents.incident"].pk,
        before["rows"]["incidents.concern"].pk,
        before["rows"]["management_review.managementreview"].pk,
    )
    incident = new.get_model("incidents", "Incident").objects.get(
        pk=before["rows"]["incidents.incident"].pk
    )
    assert [s.pk for s in incident.systems.all()] == [before["system"].pk]
    outside = new.get_model("certification", "ExternalFinding").objects.get(pk=before["outside"].pk)
    assert outside.nonconformity_id == nc.pk

    counter = new.get_model("core", "ReferenceCounter").objects.get(pk=before["counter"].pk)
    assert (counter.kind, counter.last) == ("incidents.incident:INC", 41)
    link = new.get_model("governance", "PrincipleLink").objects.get(pk=before["link"].pk)
    assert link.object_type == "objectives.aiobjective"
    task = new.get_model("django_tasks_database", "DBTaskResult").objects.get(pk=before["task"].pk)
    assert task.task_path == NEW_TASK
    content_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=before["content_type"].pk
    )
    assert (content_type.app_label, content_type.model) == ("incidents", "incident")

    # The counter carries on from where it was, not from the highest stored reference (INC-004):
    # a deleted record's number is never given again.
    assert next_reference(Incident, before["org"].pk, "INC") == "INC-042"
