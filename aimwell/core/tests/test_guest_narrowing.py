"""Every model with a path to an AI system narrows guests to their audit's systems (core.guests),
or says here why it need not: a new model cannot ship without its rule (issue 16, Why 1)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from aimwell.core import guests
from aimwell.core.models import OrganisationScopedModel

# Records that reach an AI system but are not "of" one, with the reason a guest may read them
# whole when their audit area allows it.
NOT_NARROWED = {
    "accounts.user": "People are not organisation records; members pages are for members only.",
    "internal_audit.audit": "An internal audit of the AIMS; its sampled systems are a sample only.",
    "internal_audit.checklistitem": "A line of an internal audit's checklist (see the audit).",
    "certification.externalaudit": "The guest's own audit: its systems are the guest's scope.",
    "certification.externalfinding": "Raised by the guests themselves in their engagement.",
    "certification.certificate": "The outcome of the external audit, not a system's record.",
    "certification.engagement": "The guest's engagement itself.",
    "certification.sample": "Chosen by the guest in their own workspace.",
    "certification.comment": "Written in the guest's own workspace.",
    "certification.evidenceask": "Asked by the guest in their own workspace.",
}
# Links by type label and id rather than a relation; checked here by name.
GENERIC_LINKS = {"evidence.evidenceitem", "evidence.evidencelink"}
SKIPPED_APPS = {"contenttypes", "auth", "sessions", "admin", "accounts", "core", "catalog"}


def _reaches_system(model: type[models.Model], depth: int = 3) -> bool:
    system = apps.get_model("inventory", "AISystem")
    for field in model._meta.get_fields():
        target = field.related_model
        if not field.is_relation or target is None or isinstance(target, str):
            continue
        if target is system:
            return True
        forward = field.concrete or field.many_to_many
        deeper = depth > 1 and forward and target._meta.app_label not in SKIPPED_APPS
        if deeper and _reaches_system(target, depth - 1):
            return True
    return False


def _models_of_systems() -> list[type[models.Model]]:
    found = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in SKIPPED_APPS - {"accounts"} and _reaches_system(model)
    ]
    # sorted: every pytest-xdist worker must collect the same tests in the same order
    found += [apps.get_model(label) for label in sorted(GENERIC_LINKS)]
    return found


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def test_the_enumeration_finds_the_records_the_issue_names() -> None:
    labels = {_label(m) for m in _models_of_systems()}
    expected = {
        "inventory.aisystem",
        "risks.risk",
        "impact_assessments.impactassessment",
        "evidence.evidenceitem",
        "monitoring.monitor",
        "monitoring.monitorrun",
        "incidents.incident",
        "transparency.systemcard",
    }
    assert expected <= labels


@pytest.mark.parametrize("model", _models_of_systems(), ids=_label)
def test_every_model_of_an_ai_system_narrows_guests(model: type[models.Model]) -> None:
    if _label(model) in NOT_NARROWED:
        assert not guests.is_system_bound(model), "listed as not narrowed but declares a rule"
        return
    assert guests.is_system_bound(model), (
        f"{model._meta.label} has a path to an AI system but no guest rule: give it "
        "`system_path` (or `guest_visible`) or say in NOT_NARROWED why a guest may read it whole"
    )
    assert issubclass(model, OrganisationScopedModel)
    # The rule compiles into SQL against the model (a wrong path raises FieldError here).
    some_system = frozenset({str(uuid.uuid4())})
    query = model._base_manager.filter(guests.allowed_rows(model, some_system)).query
    assert "SELECT" in str(query)


@pytest.mark.django_db
def test_a_confined_request_narrows_every_fresh_queryset_and_visible_to(org: Any) -> None:
    from aimwell.inventory import services as inventory
    from aimwell.inventory.models import AISystem
    from aimwell.risks.tests import factories

    ours = inventory.create(AISystem, org, actor="t", name="Ours", purpose="p")
    theirs = inventory.create(AISystem, org, actor="t", name="Theirs", purpose="p")
    factories.risk(org, "of ours", system=ours)
    factories.risk(org, "of theirs", system=theirs)
    factories.risk(org, "of the AIMS")
    risk_model = apps.get_model("risks", "Risk")
    limit = guests.GuestLimit(str(org.pk), frozenset({str(ours.pk)}))
    with guests.confined(limit):
        titles = set(risk_model.objects.filter(organisation=org).values_list("title", flat=True))
        via_system = set(theirs.risks.values_list("title", flat=True))
        systems = set(AISystem.objects.values_list("name", flat=True))
    assert titles == {"of ours", "of the AIMS"}
    assert via_system == set()
    assert systems == {"Ours"}
    # Outside the request nothing is narrowed.
    assert risk_model.objects.filter(organisation=org).count() == 3
    # Another organisation's rows are not touched by this organisation's limit.
    other = guests.GuestLimit(str(uuid.uuid4()), frozenset())
    with guests.confined(other):
        assert risk_model.objects.filter(organisation=org).count() == 3


@pytest.mark.django_db
def test_figures_kept_for_members_are_never_given_to_a_guest_nor_taken_from_one(org: Any) -> None:
    from aimwell.core.kept import kept
    from aimwell.inventory import services as inventory
    from aimwell.inventory.models import AISystem
    from aimwell.risks import querysets
    from aimwell.risks.tests import factories

    ours = inventory.create(AISystem, org, actor="t", name="Ours", purpose="p")
    theirs = inventory.create(AISystem, org, actor="t", name="Theirs", purpose="p")
    factories.risk(org, "of ours", system=ours)
    factories.risk(org, "of theirs", system=theirs)

    def open_risks() -> int:
        return sum(n for _, _, n in querysets.heat_counts(org))

    limit = guests.GuestLimit(str(org.pk), frozenset({str(ours.pk)}))
    with guests.confined(limit):
        assert kept(org.pk, "test-heat", open_risks) == 1  # the guest's own count, not kept
    assert kept(org.pk, "test-heat", open_risks) == 2  # computed for members, kept
    with guests.confined(limit):
        assert kept(org.pk, "test-heat", open_risks) == 1  # not the members' kept count
    assert kept(org.pk, "test-heat", lambda: -1) == 2  # the kept one
