"""The operations forms (incidents, audits, reviews, training, objectives, improvement) name a
person with the member picker; another organisation's person is refused and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aimwell.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_the_incident_form_picks_its_owner_by_name(manager):
    page = manager.client.get(reverse("incidents:incident-new")).content.decode()
    assert '<select name="owner"' not in page
    assert f'hx-get="{reverse("member-pick")}"' in page
    owner = page.split('name="owner"')[1]  # the owner's picker (the systems' comes first)
    chosen = owner.split('class="picker-chosen"')[1].split("</ul>")[0]
    # The member filling it in is the owner at first, shown by name and e-mail, not by id.
    assert f"{manager.user.display_name} ({manager.user.email})" in chosen


def test_an_incident_owned_by_another_organisations_person_is_refused(manager, outsider):
    response = manager.post(
        reverse("incidents:incident-new"),
        {
            "title": "Leaked scores",
            "description": "Scores were shown to the wrong applicant.",
            "severity": "high",
            "owner": str(outsider.user.pk),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Incident.objects.filter(title="Leaked scores").exists()
