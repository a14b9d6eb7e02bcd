"""Where a member lands after signing in: the organisation they chose last, else the busiest."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aimwell.accounts import services
from aimwell.accounts.models import Membership
from aimwell.core.models import AuditEvent


def _heading_after_sign_in(email: str, password: str) -> str:
    """Signs in on a fresh browser and returns the home page's first heading."""
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": password})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    return body.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_a_member_lands_in_the_busiest_organisation_not_the_first_by_name(org, other_org, everyone):
    admin = everyone["admin"]
    services.add_member(other_org, email=admin.user.email, role="staff", actor="test")
    # "Elsewhere Ltd" sorts before "Meridian Test", but Meridian Test holds six members' events.
    assert other_org.name < org.name
    busy = AuditEvent.objects.filter(organisation=org).count()
    quiet = AuditEvent.objects.filter(organisation=other_org).count()
    assert busy > quiet
    assert org.name in _heading_after_sign_in(admin.user.email, "x" * 14)


def test_the_switchers_choice_is_where_the_member_lands_next_time(org, other_org, everyone):
    admin = everyone["admin"]
    services.add_member(other_org, email=admin.user.email, role="staff", actor="test")
    response = admin.post(reverse("switch-organisation"), {"organisation": str(other_org.pk)})
    assert response.status_code == 302
    chosen = Membership.objects.get(user=admin.user, organisation=other_org)
    assert chosen.last_chosen_at is not None
    assert other_org.name in _heading_after_sign_in(admin.user.email, "x" * 14)
    # Choosing back is remembered too.
    admin.post(reverse("switch-organisation"), {"organisation": str(org.pk)})
    assert org.name in _heading_after_sign_in(admin.user.email, "x" * 14)


def test_an_inactive_membership_is_never_landed_in(org, other_org, everyone):
    admin = everyone["admin"]
    other = services.add_member(other_org, email=admin.user.email, role="admin", actor="test")
    services.remember_organisation(other)
    Membership.objects.filter(pk=other.pk).update(is_active=False)
    assert org.name in _heading_after_sign_in(admin.user.email, "x" * 14)


def test_the_demo_admin_lands_in_meridian_lending(demo_org):
    from aimwell.demo import ADMIN_EMAIL_DEFAULT
    from conftest import DEMO_ADMIN_PASSWORD

    # The admin is also the only member of an empty second organisation, which sorts first.
    second = Membership.objects.exclude(organisation=demo_org).get(user__email=ADMIN_EMAIL_DEFAULT)
    assert second.organisation.name < demo_org.name
    heading = _heading_after_sign_in(ADMIN_EMAIL_DEFAULT, DEMO_ADMIN_PASSWORD)
    assert heading.strip() == "Meridian Lending"
