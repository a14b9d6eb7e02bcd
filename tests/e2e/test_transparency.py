"""Someone affected by an AI system reads the organisation's public transparency page in a real
browser, opens the system's card, and sends a concern; the AIMS manager then finds it in the
concerns register with the reference the visitor was given."""

from __future__ import annotations

import re

import pytest

from aimwell.accounts import services as accounts
from aimwell.incidents.models import Concern
from aimwell.transparency import services
from aimwell.transparency.tests.factories import credit_system, plain_system

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-passphrase"


def test_visitor_reads_the_public_page_and_sends_a_concern(live_server, page):
    org = accounts.create_organisation(name="Meridian Lending", slug="meridian", actor="test")
    accounts.add_member(
        org,
        email="amara@meridian.example",
        role="aims_manager",
        password=PASSWORD,
        full_name="Amara Okafor",
        actor="test",
    )
    scoring = credit_system(org, run=False)
    hidden = plain_system(org, "Internal HR screening")
    for system in (scoring, hidden):
        services.publish_card(system, actor="test")
    services.update_settings(
        org,
        actor="test",
        enabled=True,
        slug="meridian",
        contact="ai@meridian.example",
        public_systems=[scoring],
    )

    page.goto(f"{live_server.url}/public/meridian/")
    page.get_by_role("heading", name="How Meridian Lending uses AI").wait_for()
    systems = page.get_by_role("region", name="AI systems")
    assert systems.get_by_role("link", name="Consumer credit scoring").is_visible()
    assert "Internal HR screening" not in page.content()

    systems.get_by_role("link", name="Consumer credit scoring").click()
    page.get_by_text("Loan applicants.").first.wait_for()
    page.go_back()

    page.get_by_label("Which AI system is it about?").select_option(label="Consumer credit scoring")
    page.get_by_label("What are you sending?").select_option("explanation")
    page.get_by_label("What is it about?").select_option("transparency")
    page.get_by_label("Your message").fill("My loan was declined. Which factors counted?")
    page.get_by_label("Your email (optional, to get an answer)").fill("visitor@example.org")
    page.get_by_role("button", name="Send").click()

    page.get_by_text(re.compile(r"EXT-\d{4}-0001")).first.wait_for()
    reference = re.search(r"EXT-\d{4}-0001", page.content())
    assert reference is not None
    concern = Concern.objects.get(organisation=org)
    assert concern.reference == reference.group(0) and concern.system_id == scoring.pk
    assert "visitor@example.org" not in page.content()

    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill("amara@meridian.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Meridian Lending").wait_for()
    page.goto(f"{live_server.url}/operations/concerns/")
    page.get_by_text(concern.reference).first.wait_for()
    assert "from outside" in page.content()
