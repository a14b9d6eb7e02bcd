"""The member picker: forms that name a person search this organisation's members by name or
e-mail; another organisation's people are never offered, and guests may not browse members."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _offered(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r'data-value="([^"]+)"', response.content.decode()))


def test_search_finds_this_organisations_people_by_name_or_email(
    manager, contributor, staff, external_auditor, outsider
):
    url = reverse("member-pick")
    everyone = _offered(manager.client.get(url))
    # Its own people (not its guests), and nobody of the other organisation.
    assert everyone == {str(manager.user.pk), str(contributor.user.pk), str(staff.user.pk)}
    assert _offered(manager.client.get(url + "?q=Contrib")) == {str(contributor.user.pk)}
    assert _offered(manager.client.get(url + "?q=staff@test")) == {str(staff.user.pk)}
    assert _offered(manager.client.get(url + "?q=outsider")) == set()


def test_the_guests_search_offers_only_this_organisations_guests(
    manager, external_auditor, outsider
):
    found = _offered(manager.client.get(reverse("member-pick") + "?guests=1&q=guest"))
    assert found == {str(external_auditor.user.pk)}


def test_guests_and_staff_may_not_browse_the_members(external_auditor, staff):
    assert external_auditor.client.get(reverse("member-pick")).status_code == 403
    assert staff.client.get(reverse("member-pick")).status_code == 403


def test_the_search_can_keep_to_some_roles_and_answer_memberships(
    manager, contributor, staff, outsider
):
    url = reverse("member-pick")
    contributors = _offered(manager.client.get(url + "?role=contributor&role=nonsense"))
    assert contributors == {str(contributor.user.pk)}
    # Fields that link memberships get membership ids, of this organisation only.
    by_membership = _offered(manager.client.get(url + "?ids=membership"))
    assert by_membership == {
        str(manager.membership.pk),
        str(contributor.membership.pk),
        str(staff.membership.pk),
    }
