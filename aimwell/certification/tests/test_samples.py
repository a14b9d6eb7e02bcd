"""The guest auditor picks a sample by name, among the records their audit covers; the service
refuses any id outside the audit (another organisation's, an out-of-scope system's, a record of
another type) and writes nothing then."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aimwell.certification import services, workspace
from aimwell.certification.choices import Area
from aimwell.certification.models import Sample
from aimwell.documents.services import create_document
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, other_org, manager, external_auditor):
    """An audit of the AI systems and documents, covering only the credit-scoring system."""
    credit = factories.system(org, "Credit scoring")
    fraud = factories.system(org, "Fraud scoring")
    foreign = factories.system(other_org, "Credit scoring abroad")
    policy = create_document(org, title="AI policy", doc_type="policy", actor="test")
    foreign_policy = create_document(other_org, title="AI policy", doc_type="policy", actor="t")
    project = services.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    audit = services.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today,
        areas=[Area.SYSTEMS, Area.DOCUMENTS],
        all_systems=False,
        systems=[credit],
    )
    engagement = workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )
    return {
        "credit": credit,
        "fraud": fraud,
        "foreign": foreign,
        "policy": policy,
        "foreign_policy": foreign_policy,
        "engagement": engagement,
    }


def _offered(actor, engagement, object_type: str, q: str = "") -> set[str]:
    url = reverse("certification:workspace-pick", args=[engagement.pk])
    response = actor.client.get(url, {"object_type": object_type, "q": q})
    assert response.status_code == 200
    return set(re.findall(r'data-value="([^"]+)"', response.content.decode()))


def test_the_picker_offers_only_records_the_audit_covers(world, external_auditor):
    engagement, guest = world["engagement"], external_auditor
    # Both systems of the organisation and the one abroad hold "scoring"; one is in scope.
    assert _offered(guest, engagement, "system", "scoring") == {str(world["credit"].pk)}
    assert _offered(guest, engagement, "system") == {str(world["credit"].pk)}
    assert _offered(guest, engagement, "system", "fraud") == set()
    # Both organisations hold an "AI policy"; only ours is offered.
    assert _offered(guest, engagement, "document", "policy") == {str(world["policy"].pk)}
    # Evidence is not an area of this audit; a record kept outside Aimwell is never searched.
    assert _offered(guest, engagement, "evidence") == set()
    assert _offered(guest, engagement, "record", "a") == set()


def test_a_picked_system_becomes_a_sample_named_and_linked(world, external_auditor):
    engagement = world["engagement"]
    page = reverse("certification:workspace", args=[engagement.pk])
    response = external_auditor.post(
        reverse("certification:workspace-step", args=[engagement.pk, "sample"]),
        {"object_type": "system", "object_id": str(world["credit"].pk), "note": "Sampled"},
    )
    assert response.status_code == 302
    sample = Sample.objects.get(engagement=engagement)
    assert (sample.label, sample.object_id) == ("Credit scoring", str(world["credit"].pk))
    text = external_auditor.client.get(page).content.decode()
    system_url = reverse("inventory:system", args=[world["credit"].pk])
    assert f'<a href="{system_url}">Credit scoring</a>' in text
    # The picker, not a box asking for an id.
    assert "Search the records of this audit by name" in text


@pytest.mark.parametrize(
    ("object_type", "pick", "field_says"),
    [
        ("system", "foreign", "No AI system within this audit's scope"),
        ("system", "fraud", "No AI system within this audit's scope"),
        ("document", "foreign_policy", "No document within this audit's scope"),
        ("system", "policy", "No AI system within this audit's scope"),  # a document's id
        ("document", "credit", "No document within this audit's scope"),  # a system's id
        ("evidence", "credit", "Evidence are outside the scope of this audit"),
        ("record", "credit", "A record kept outside Aimwell is described in words"),
        ("system", None, "Pick the AI system you sampled"),
        ("system", "not-an-id", "No AI system within this audit's scope"),
    ],
)
def test_a_sample_outside_the_audit_is_refused_and_nothing_is_written(
    world, external_auditor, object_type, pick, field_says
):
    engagement = world["engagement"]
    object_id = "" if pick is None else str(world[pick].pk) if pick in world else pick
    body = {"object_type": object_type, "object_id": object_id, "label": "Anything"}
    api = external_auditor.api(
        "POST", f"/api/v1/certification/engagements/{engagement.pk}/samples", body
    )
    assert api.status_code == 400
    assert field_says in api.json()["message"]
    page = external_auditor.post(
        reverse("certification:workspace-step", args=[engagement.pk, "sample"]), body, follow=True
    )
    assert field_says in html.unescape(page.content.decode())
    assert not Sample.objects.exists()


def test_a_manager_picks_within_the_audit_too(world, manager):
    engagement = world["engagement"]
    assert _offered(manager, engagement, "system", "scoring") == {str(world["credit"].pk)}
    with pytest.raises(services.CertificationError):
        workspace.add_sample(
            engagement,
            actor=manager.user,
            object_type="system",
            object_id=str(world["fraud"].pk),
        )
    assert not Sample.objects.exists()


def test_a_guest_cannot_search_another_engagement(world, org, manager, external_auditor):
    """The picker answers only the worker of its own engagement (and managers)."""
    from aimwell.accounts import services as accounts

    stranger = accounts.add_member(
        org,
        email="other.guest@example.com",
        role="external_auditor",
        actor="test",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    theirs = workspace.grant_engagement(
        world["engagement"].audit,
        actor=manager.user,
        membership=stranger,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )
    url = reverse("certification:workspace-pick", args=[theirs.pk])
    response = external_auditor.client.get(url, {"object_type": "system", "q": "credit"})
    assert response.status_code == 403
