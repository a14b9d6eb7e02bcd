"""Pages of the shell: dashboard figures, members, tokens, audit trail, switcher, errors."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from aimwell.accounts import services
from aimwell.accounts.models import ApiToken, Membership
from aimwell.core.models import AuditEvent
from aimwell.inventory.models import AISystem


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_in_with_email_and_password(client, admin):
    page = client.post(reverse("login"), {"username": admin.user.email, "password": "x" * 14})
    assert page.status_code == 302
    wrong = Client().post(reverse("login"), {"username": admin.user.email, "password": "nope"})
    assert wrong.status_code == 200
    assert "correct" in wrong.content.decode()


def test_home_shows_the_figures_that_matter(org, everyone):
    from aimwell.inventory import services as inventory

    manager = everyone["aims_manager"]
    for name, risk_class in (("Scoring", "high_risk"), ("Chat", "limited"), ("CV", "high_risk")):
        system = inventory.create(AISystem, org, actor=manager.user, name=name)
        AISystem.objects.filter(pk=system.pk).update(risk_class=risk_class)
    body = everyone["admin"].client.get("/").content.decode()
    assert org.name in body
    figure = re.search(
        r'<div class="figure">(\d+)</div><a href="/ai-systems/\?risk_class=high_risk"', body
    )
    assert figure is not None and figure.group(1) == "2"


def test_a_guest_dashboard_shows_no_figures_of_the_whole_aims(org, everyone):
    body = everyone["external_auditor"].client.get("/").content.decode()
    assert "Your audit" in body and "/certification/" in body
    assert '<div class="figure">' not in body and "At a glance" not in body
    # Without an engagement, the navigation offers nothing the guest could not open.
    assert 'href="/certification/"' in body
    for closed in ('href="/risks/"', 'href="/ai-systems/"', 'href="/members/"', 'href="/audit/"'):
        assert closed not in body, closed


def test_admin_adds_and_edits_a_member_through_forms(org, admin):
    response = admin.post(
        reverse("members"),
        {"email": "new@test.example", "role": "contributor", "owned_processes": ["monitoring"]},
    )
    assert response.status_code == 302
    # An invitation, not a membership, until the person accepts the emailed link.
    assert not Membership.objects.filter(user__email="new@test.example").exists()
    link = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[-1].body)
    assert link is not None
    joined = Client().post(
        link.group(1),
        {
            "full_name": "New Person",
            "password1": "a long passphrase 7",
            "password2": "a long passphrase 7",
        },
    )
    assert joined.status_code == 302
    member = Membership.objects.get(user__email="new@test.example")
    assert member.owned_processes == ["monitoring"]
    edit = admin.post(
        reverse("member-edit", args=[member.pk]),
        {
            "role": "contributor",
            "is_active": "on",
            "is_top_management": "on",
            "risk_acceptance_limit": "9",
        },
    )
    assert edit.status_code == 302
    member.refresh_from_db()
    assert member.is_top_management and member.risk_acceptance_limit == 9
    event = AuditEvent.objects.filter(organisation=org).order_by("-seq").first()
    assert event.action == "membership.updated" and "risk_acceptance_limit" in event.changes


def test_bad_member_form_shows_errors_and_writes_nothing(org, admin):
    before = AuditEvent.objects.count()
    response = admin.post(reverse("members"), {"email": "nope", "role": "external_auditor"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "expiry date" in body
    assert AuditEvent.objects.count() == before


def test_staff_cannot_post_to_members(staff):
    response = staff.post(reverse("members"), {"email": "x@test.example", "role": "admin"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="x@test.example").exists()


def test_token_page_shows_the_secret_once(admin):
    response = admin.post(reverse("tokens"), {"name": "laptop"})
    body = response.content.decode()
    token = ApiToken.objects.get(name="laptop")
    assert 'id="new-token"' in body and token.prefix in body
    again = admin.client.get(reverse("tokens")).content.decode()
    assert 'id="new-token"' not in again
    admin.post(reverse("token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_switching_organisation_changes_what_is_shown(org, other_org, admin):
    services.add_member(other_org, email=admin.user.email, role="staff", actor="test")
    assert org.name in admin.client.get("/").content.decode()
    admin.post(reverse("switch-organisation"), {"organisation": str(other_org.pk)})
    body = admin.client.get("/").content.decode()
    assert "Staff" in body
    assert admin.client.get(reverse("member-edit", args=[admin.membership.pk])).status_code == 404


def test_audit_trail_filters_and_htmx_partial(org, admin, manager):
    services.update_membership(manager.membership, actor=admin.user, is_top_management=False)
    full = admin.client.get(reverse("audit-trail"), {"action": "membership.updated"})
    assert full.status_code == 200
    assert "membership.updated" in full.content.decode()
    assert "membership.created" not in full.content.decode().split("<tbody>")[1]
    partial = admin.client.get(
        reverse("audit-trail"), {"action": "membership"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode()
    history = admin.client.get(
        reverse("object-history", args=["accounts.membership", manager.membership.pk])
    )
    assert history.status_code == 200 and "membership.updated" in history.content.decode()


def test_friendly_404_page(admin):
    response = admin.client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_password_change_is_audited(org, admin):
    response = admin.post(
        reverse("password_change"),
        {
            "old_password": "x" * 14,
            "new_password1": "a-much-better-passphrase",
            "new_password2": "a-much-better-passphrase",
        },
    )
    assert response.status_code == 302
    admin.user.refresh_from_db()
    assert admin.user.check_password("a-much-better-passphrase")
    assert AuditEvent.objects.filter(organisation=org, action="user.password_changed").exists()


@pytest.mark.parametrize("url_name", ["members", "audit-trail", "tokens"])
def test_list_pages_do_not_grow_queries_with_rows(
    org, admin, django_assert_max_num_queries, url_name
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert admin.client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    services.create_api_token(admin.membership, name="t0", actor="test")
    count()  # warm up: the first request of a session loads it
    few = count()
    for i in range(15):
        services.add_member(org, email=f"m{i}@test.example", role="staff", actor=admin.user)
        services.create_api_token(admin.membership, name=f"t{i + 1}", actor="test")
    many = count()
    assert many == few
    with django_assert_max_num_queries(12):
        admin.client.get(reverse(url_name))


def test_api_lists_do_not_grow_queries_with_rows(org, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin.api("GET", url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/api/v1/members", "/api/v1/audit-events", "/api/v1/tokens"]
    admin.csrf()  # warm up: the first request of a session loads it
    few = [count(u) for u in urls]
    for i in range(15):
        services.add_member(org, email=f"a{i}@test.example", role="staff", actor=admin.user)
        services.create_api_token(admin.membership, name=f"t{i}", actor="test")
    assert [count(u) for u in urls] == few
