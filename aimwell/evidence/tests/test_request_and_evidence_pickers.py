"""Asking for evidence and citing evidence use pickers: the person asked and the requirement are
searched by name and title, evidence items by title. What the form accepts is still decided on
the server: another organisation's person, a member who may not add evidence, an unknown
requirement or another organisation's evidence is refused with a field error, nothing written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aimwell.certification import services as certification
from aimwell.certification import workspace
from aimwell.certification.choices import Area
from aimwell.evidence import services
from aimwell.evidence.models import EvidenceRequest
from aimwell.risks.tests import factories

pytestmark = pytest.mark.django_db
DUE = (timezone.localdate() + dt.timedelta(days=10)).isoformat()


def _offered(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


def _ask(actor, **fields):
    body = {"title": "Drift report", "due_date": DUE, "requirement": "", **fields}
    return actor.post(reverse("evidence:requests"), body)


def test_the_request_form_searches_people_and_requirements(catalog, manager, contributor, staff):
    page = manager.client.get(reverse("evidence:requests")).content.decode()
    form = page[page.index("Ask for evidence") :]
    assert "URN" not in form
    # Two pickers: whom to ask (members who may add evidence) and the requirement.
    assert form.count('class="picker-search"') == 2
    assert "role=contributor" in form and 'hx-get="/catalog/pick/"' in form
    assert f'value="{staff.user.pk}"' not in form  # no option per member
    # The member search behind it offers those who may add evidence, not staff.
    url = reverse("member-pick") + "?role=admin&role=aims_manager&role=contributor"
    offered = set(_offered(manager.client.get(url)))
    assert offered == {str(manager.user.pk), str(contributor.user.pk)}


def test_a_picked_person_and_requirement_make_the_request(catalog, manager, contributor):
    response = _ask(
        manager, requested_from=str(contributor.user.pk), requirement="iso42001:2023:9.1"
    )
    assert response.status_code == 302
    req = EvidenceRequest.objects.get()
    assert req.requested_from == contributor.user and req.requirement.urn == "iso42001:2023:9.1"


@pytest.mark.parametrize("who", ["outsider", "staff", "nobody"])
def test_a_person_outside_those_who_may_add_evidence_is_refused(
    catalog, manager, outsider, staff, who
):
    person = {"outsider": str(outsider.user.pk), "staff": str(staff.user.pk)}
    response = _ask(manager, requested_from=person.get(who, "not-an-id"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["requested_from"]
    if who != "nobody":  # (a value that is no id at all is refused as such)
        assert "may add evidence" in errors["requested_from"][0]
    assert EvidenceRequest.objects.count() == 0


def test_an_unknown_requirement_is_refused_and_nothing_is_written(catalog, manager, contributor):
    response = _ask(
        manager, requested_from=str(contributor.user.pk), requirement="iso42001:2023:Z.99"
    )
    errors = response.context["form"].errors
    assert list(errors) == ["requirement"] and "pick one" in errors["requirement"][0]
    assert EvidenceRequest.objects.count() == 0
    # The person chosen is shown by name when the form comes back, not as an id.
    assert contributor.user.display_name in response.content.decode()


def test_the_edit_form_shows_linked_requirements_by_title(catalog, org, manager):
    item = services.add_link(
        org,
        title="Monitoring log",
        url="https://d.example/log",
        requirement_urns=["iso42001:2023:9.1"],
        actor="t",
    )
    page = manager.client.get(reverse("evidence:edit", args=[item.pk])).content.decode()
    assert 'name="requirements" value="iso42001:2023:9.1"' in page
    assert "9.1 Monitoring, measurement, analysis and evaluation" in page
    assert "<textarea" not in page.split('name="requirements"')[0].rsplit("<label", 1)[-1]


def test_the_evidence_search_offers_only_this_organisations_live_items(
    org, other_org, manager, outsider, staff
):
    ours = services.add_link(org, title="Bias report Q1", url="https://d.example/1", actor="t")
    retired = services.add_link(org, title="Bias report Q0", url="https://d.example/0", actor="t")
    services.retire_item(retired, actor="t")
    services.add_link(org, title="Usage log", url="https://d.example/2", actor="t")
    theirs = services.add_link(
        other_org, title="Bias report elsewhere", url="https://d.example/3", actor="t"
    )
    url = reverse("evidence:pick") + "?q=bias report"
    assert _offered(manager.client.get(url)) == [str(ours.pk)]
    assert _offered(outsider.client.get(url)) == [str(theirs.pk)]
    assert staff.client.get(url).status_code == 403


def test_a_guest_finds_only_evidence_of_their_audits_systems(org, manager, external_auditor):
    ours = factories.system(org, "Credit scoring")
    theirs = factories.system(org, "Fraud alerts")
    project = certification.get_or_create_project(org, actor=manager.user)
    today = timezone.localdate()
    audit = certification.plan_audit(
        project,
        actor=manager.user,
        kind="stage_1",
        planned_start=today,
        planned_end=today,
        areas=[Area.EVIDENCE, Area.SYSTEMS],
        all_systems=False,
        systems=[ours],
    )
    workspace.grant_engagement(
        audit,
        actor=manager.user,
        membership=external_auditor.membership,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )
    inside = services.add_link(org, title="Scoring test", url="https://d.example/a", actor="t")
    outside = services.add_link(org, title="Fraud test", url="https://d.example/b", actor="t")
    for item, system in ((inside, ours), (outside, theirs)):
        services.add_target_link(
            item, target_type="inventory.aisystem", target_id=system.pk, actor="t"
        )
    found = _offered(external_auditor.client.get(reverse("evidence:pick") + "?q=test"))
    assert found == [str(inside.pk)]
    assert len(_offered(manager.client.get(reverse("evidence:pick") + "?q=test"))) == 2


def test_a_request_is_fulfilled_with_evidence_searched_by_title(
    org, other_org, manager, contributor
):
    ask = services.request_evidence(
        org,
        title="Drift report",
        requested_from=contributor.user,
        due_date=timezone.localdate() + dt.timedelta(days=5),
        actor=manager.user,
    )
    mine = services.add_link(org, title="Drift Q3", url="https://d.example/q3", actor="t")
    theirs = services.add_link(other_org, title="Theirs", url="https://t.example", actor="t")
    page = contributor.client.get(reverse("evidence:requests")).content.decode()
    assert 'hx-get="/evidence/pick/"' in page and f'value="{mine.pk}"' not in page
    url = reverse("evidence:request-action", args=[ask.pk, "fulfil"])
    assert contributor.post(url, {"evidence": str(theirs.pk)}).status_code == 404
    ask.refresh_from_db()
    assert ask.status == "open" and ask.evidence_id is None
    assert contributor.post(url, {"evidence": str(mine.pk)}).status_code == 302
    ask.refresh_from_db()
    assert ask.status == "fulfilled" and ask.evidence_id == mine.pk
