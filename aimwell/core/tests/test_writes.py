"""The audited writes every app's services share: only what changed is saved and recorded, and
conflicts come back as the calling app's own error."""

from __future__ import annotations

import json

import pytest

from aimwell.core import writes
from aimwell.core.models import AuditEvent
from aimwell.inventory.models import AISystem, Dataset


class AppError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _system(org, name: str) -> AISystem:
    system = AISystem(organisation=org, name=name, purpose="p")
    writes.save_new(system, actor="t", action="system.created", fields=("name",), error=AppError)
    return system


def test_save_new_records_creation_and_a_duplicate_is_the_apps_error(org):
    system = _system(org, "Scoring")
    event = AuditEvent.objects.get(action="system.created")
    assert event.object_id == str(system.pk) and json.loads(event.changes) == {
        "name": [None, "Scoring"]
    }
    with pytest.raises(AppError, match="already exists"):
        _system(org, "Scoring")


def test_apply_changes_saves_and_records_only_what_changed(org):
    system = _system(org, "Scoring")
    allowed = ("name", "purpose")
    same = writes.apply_changes(
        system, actor="t", action="system.updated", allowed=allowed, error=AppError, name="Scoring"
    )
    assert same == {} and not AuditEvent.objects.filter(action="system.updated").exists()
    changed = writes.apply_changes(
        system, actor="t", action="system.updated", allowed=allowed, error=AppError, purpose="q"
    )
    assert changed == {"purpose": ["p", "q"]}
    assert AuditEvent.objects.filter(action="system.updated").count() == 1
    with pytest.raises(TypeError, match="Not AISystem fields"):
        writes.apply_changes(
            system, actor="t", action="x", allowed=allowed, error=AppError, owner=1
        )
    _system(org, "Chatbot")
    with pytest.raises(AppError, match="already exists"):
        writes.apply_changes(
            system, actor="t", action="x", allowed=allowed, error=AppError, name="Chatbot"
        )


def test_set_related_refuses_another_organisations_objects(org, other_org):
    system = _system(org, "Scoring")
    theirs = Dataset.objects.create(organisation=other_org, name="Their data")
    with pytest.raises(AppError) as refused:
        writes.set_related(system, "datasets", [theirs], actor="t", action="x", error=AppError)
    assert refused.value.field == "datasets" and not system.datasets.exists()
    ours = Dataset.objects.create(organisation=org, name="Loan book")
    writes.set_related(system, "datasets", [ours], actor="t", action="ds", error=AppError)
    writes.set_related(system, "datasets", [ours], actor="t", action="ds", error=AppError)
    assert list(system.datasets.all()) == [ours]
    assert AuditEvent.objects.filter(action="ds").count() == 1
