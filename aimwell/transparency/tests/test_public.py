"""The public transparency page and its concern form, as an anonymous visitor sees them: exactly
the chosen published cards, nothing else, and concerns that arrive in the AIMS."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from aimwell.core.models import AuditEvent
from aimwell.incidents import services as incidents
from aimwell.incidents.models import Concern
from aimwell.inventory import services as inventory
from aimwell.notifications.models import Notification
from aimwell.transparency import services
from aimwell.transparency.models import PublicSubmission
from aimwell.transparency.tests.factories import credit_system, plain_system


@pytest.fixture
def world(org, other_org, everyone, outsider):
    """Meridian Test publishes three cards but chooses two for its page, one never published;
    Elsewhere Ltd has its own page and card."""
    manager = everyone["aims_manager"]
    scoring = credit_system(org, owner=everyone["contributor"].user)
    hr = plain_system(org, "HR screening")
    unpublished = plain_system(org, "Chatbot draft")
    for system in (scoring, hr):
        services.publish_card(system, actor="t")
    services.update_card(unpublished, actor="t", limitations="DRAFT-ONLY limitation")
    response = manager.api(
        "PATCH",
        "/api/v1/transparency/settings",
        {
            "enabled": True,
            "slug": "meridian",
            "introduction": "We use AI *carefully*. <script>alert(1)</script>",
            "contact": "ai@meridian.example",
            "policy_source": "text",
            "policy_text": "People stay accountable for every AI decision.",
            "public_system_ids": [str(scoring.pk), str(unpublished.pk)],
        },
    )
    assert response.status_code == 200, response.content
    elsewhere = plain_system(other_org, "Elsewhere pricing")
    services.publish_card(elsewhere, actor="t")
    services.update_settings(
        other_org, actor="t", enabled=True, slug="elsewhere", public_systems=[elsewhere]
    )
    return {"scoring": scoring, "hr": hr, "unpublished": unpublished, "elsewhere": elsewhere,
            "everyone": everyone, "manager": manager}  # fmt: skip


def _anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


def _post_concern(client: Client, data: dict[str, str], slug: str = "meridian", **kw):
    page = client.get(f"/public/{slug}/")
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    assert page.status_code == 200
    return client.post(f"/public/{slug}/concerns/", {"csrfmiddlewaretoken": token, **data}, **kw)


CONCERN = {
    "system": "consumer-credit-scoring",
    "kind": "explanation",
    "category": "transparency",
    "description": "I was refused a loan. Why?",
    "contact_email": "someone@example.org",
    "website": "",
}


def test_public_page_shows_exactly_the_chosen_published_cards(world):
    client = _anonymous()
    page = client.get("/public/meridian/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Consumer credit scoring" in body
    assert "HR screening" not in body  # published but not chosen
    assert "Chatbot draft" not in body and "DRAFT-ONLY" not in body  # chosen, never published
    assert "Elsewhere" not in body
    assert "<em>carefully</em>" in body and "<script>" not in body  # sanitised Markdown
    assert "People stay accountable" in body
    # No internal ids, no members' emails, no navigation of the AIMS.
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", body)
    for actor in world["everyone"].values():
        assert actor.user.email not in body
    assert "Sign out" not in body

    card = client.get("/public/meridian/systems/consumer-credit-scoring/")
    assert card.status_code == 200
    text = card.content.decode()
    assert "Assess the creditworthiness" in text and "Version 1" in text
    assert "Technical documentation outline" not in text  # Annex IV stays internal
    assert "owner@test.example" not in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", text)

    # Unchosen, unpublished, another organisation's card, an unknown page: all 404.
    for url in (
        "/public/meridian/systems/hr-screening/",
        "/public/meridian/systems/chatbot-draft/",
        "/public/meridian/systems/elsewhere-pricing/",
        "/public/nobody/",
    ):
        assert client.get(url).status_code == 404, url
    # Signed-in members see the same public page as everyone else.
    assert "HR screening" not in world["manager"].client.get("/public/meridian/").content.decode()


def test_drafts_never_show_and_a_disabled_page_is_gone(world, org):
    inventory.update(world["scoring"], actor="t", purpose="NEW UNPUBLISHED PURPOSE")
    client = _anonymous()
    text = client.get("/public/meridian/systems/consumer-credit-scoring/").content.decode()
    assert "NEW UNPUBLISHED PURPOSE" not in text and "Assess the creditworthiness" in text
    services.update_settings(org, actor="t", enabled=False)
    assert client.get("/public/meridian/").status_code == 404
    assert client.get("/public/meridian/systems/consumer-credit-scoring/").status_code == 404
    assert _anonymous().post("/public/meridian/concerns/", CONCERN).status_code in (403, 404)


def test_outside_concern_arrives_in_the_aims_and_is_triaged_like_any_other(world, org):
    client = _anonymous()
    response = _post_concern(client, CONCERN)
    assert response.status_code == 200
    body = response.content.decode()
    year = timezone.localdate().year
    assert f"EXT-{year}-0001" in body
    concern = Concern.objects.get()
    assert concern.reference == f"EXT-{year}-0001"
    assert (concern.source, concern.kind, concern.system) == (
        "external",
        "explanation",
        world["scoring"],
    )
    assert concern.contact_email == "someone@example.org" and concern.reporter is None
    # Nothing else comes back to the submitter: no id, no internal reference, no email.
    assert str(concern.pk) not in body and "someone@example.org" not in body
    event = AuditEvent.objects.get(action="concern.reported", object_id=str(concern.pk))
    assert event.actor_label == "public form" and event.actor_id is None
    assert "someone@example.org" not in event.changes
    assert Notification.objects.filter(kind="concern.reported").count() >= 2  # admin and manager
    assert PublicSubmission.objects.count() == 1
    assert "127.0.0.1" not in PublicSubmission.objects.get().client

    # The managers' concerns register shows it; triage and a nonconformity work unchanged.
    manager = world["manager"]
    listing = manager.client.get("/operations/concerns/").content.decode()
    assert concern.reference in listing and "from outside" in listing
    detail = manager.client.get(f"/operations/concerns/{concern.pk}/").content.decode()
    assert "someone@example.org" in detail and "public transparency page" in detail
    incidents.triage_concern(
        concern, actor=manager.user, status="investigating", handler=manager.user
    )
    nc = incidents.open_nonconformity_for_concern(
        concern, actor=manager.user, title="Refusal reasons not explained", due_date=dt.date.today()
    )
    assert nc.source == "complaint" and list(nc.systems.all()) == [world["scoring"]]
    api = manager.api("GET", "/api/v1/concerns").json()
    item = next(i for i in api["items"] if i["reference"] == concern.reference)
    assert item["source"] == "external" and item["contact_email"] == "someone@example.org"
    second = _post_concern(_anonymous(), {**CONCERN, "contact_email": ""})
    assert f"EXT-{year}-0002" in second.content.decode()


def test_abuse_is_refused(world):
    client = _anonymous()
    # Honeypot: a robot is thanked, nothing is stored.
    trap = _post_concern(client, {**CONCERN, "website": "http://spam.example"})
    assert trap.status_code == 200 and "EXT-" not in trap.content.decode()
    # Only systems on this page can be named: not another organisation's, not an unchosen one.
    for slug in ("elsewhere-pricing", "hr-screening", "chatbot-draft"):
        refused = _post_concern(client, {**CONCERN, "system": slug})
        assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    # Size limit.
    long = _post_concern(client, {**CONCERN, "description": "x" * 5001})
    assert long.status_code == 400
    assert not Concern.objects.exists()
    # Five attempts per hour and client are used up: the sixth is refused, even a good one.
    limited = _post_concern(client, CONCERN)
    assert limited.status_code == 429 and "Too many" in limited.content.decode()
    assert not Concern.objects.exists()
    # Another client is not affected.
    other = _post_concern(_anonymous(), CONCERN, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200 and Concern.objects.count() == 1
    # Without the CSRF token, nothing.
    assert _anonymous().post("/public/meridian/concerns/", CONCERN).status_code == 403
    # Another organisation's page cannot be used for Meridian's systems either.
    cross = _post_concern(_anonymous(), CONCERN, slug="elsewhere", REMOTE_ADDR="198.51.100.7")
    assert cross.status_code == 400 and Concern.objects.count() == 1


def test_anonymous_visitors_reach_only_public_routes(world):
    client = _anonymous()
    system = world["scoring"]
    for url in (
        "/transparency/",
        "/transparency/settings/",
        f"/transparency/systems/{system.pk}/",
        f"/transparency/systems/{system.pk}/card.md",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/signin/" in response["Location"], url
    assert client.get("/api/v1/transparency/cards").status_code == 401
    assert client.get(f"/api/v1/systems/{system.pk}/card").status_code == 401


def test_public_page_queries_are_constant(world, org, django_assert_max_num_queries):
    client = _anonymous()
    client.get("/public/meridian/")
    with django_assert_max_num_queries(12):
        assert client.get("/public/meridian/").status_code == 200
    for i in range(4):
        system = plain_system(org, f"Extra {i}")
        services.publish_card(system, actor="t")
        services.set_public_systems(org, [world["scoring"], system], actor="t")
    with django_assert_max_num_queries(12):
        assert client.get("/public/meridian/").status_code == 200
