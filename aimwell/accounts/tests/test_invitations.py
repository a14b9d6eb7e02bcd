"""Invitations replace silent enrolment: adding someone by email discloses nothing about them
and enrols nobody until the person, in control of that address and account, accepts."""

from __future__ import annotations

import json
import re
import socket

from django.core import mail
from django.test import Client, override_settings

from aimwell.accounts import invitations
from aimwell.accounts.models import Invitation, Membership
from aimwell.core.models import AuditEvent

PASSWORD = "x" * 14  # the conftest actors' password


def _link(message_body: str) -> str:
    found = re.search(r"http://testserver(/invitations/[^/\s]+/)", message_body)
    assert found is not None, message_body
    return found.group(1)


def _signed_in(email: str) -> Client:
    client = Client()
    assert client.post("/signin/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


def test_inviting_another_organisations_user_discloses_nothing_and_enrols_nobody(
    org, other_org, admin, outsider
):
    # The outsider's own organisation knows them as "Outsider"; the attacker types another name.
    response = admin.api(
        "POST", "/api/v1/members", {"email": outsider.user.email.upper(), "role": "admin"}
    )
    assert response.status_code == 201
    body = response.content.decode()
    assert outsider.user.full_name not in body and str(outsider.user.pk) not in body
    assert response.json()["status"] == "pending"
    assert response.json()["email"] == outsider.user.email
    # Not a member of the attacker's organisation, and the members list does not show them.
    assert not Membership.objects.filter(organisation=org, user=outsider.user).exists()
    listed = admin.api("GET", "/api/v1/members").json()
    assert outsider.user.email not in {m["email"] for m in listed}
    # A new address gets exactly the same answer: whether an account exists is not revealed.
    fresh = admin.api("POST", "/api/v1/members", {"email": "nobody@new.example", "role": "admin"})
    assert set(fresh.json()) == set(response.json())
    event = AuditEvent.objects.get(
        organisation=org, action="invitation.created", object_id=str(response.json()["id"])
    )
    assert json.loads(event.changes)["email"] == [None, outsider.user.email]


def test_the_invited_user_accepts_only_when_signed_in_to_their_own_account(
    org, other_org, admin, outsider, contributor
):
    admin.api("POST", "/api/v1/members", {"email": outsider.user.email, "role": "contributor"})
    link = _link(mail.outbox[-1].body)
    assert mail.outbox[-1].to == [outsider.user.email]

    # Holding the link is not enough: an anonymous visitor is asked to sign in, a POST does nothing.
    anonymous = Client()
    page = anonymous.get(link).content.decode()
    assert "sign in</a> to accept" in page and 'name="password1"' not in page
    anonymous.post(link)
    assert not Membership.objects.filter(organisation=org, user=outsider.user).exists()

    # Another signed-in person (here a member of the inviting organisation) cannot accept it.
    wrong = contributor.client.post(link, HTTP_X_CSRFTOKEN=contributor.csrf())
    assert wrong.status_code == 400
    assert "another email address" in wrong.content.decode()
    assert not Membership.objects.filter(organisation=org, user=outsider.user).exists()

    # The person themselves accepts: a member with the offered role, audited in both steps.
    mine = _signed_in(outsider.user.email)
    accepted = mine.post(link)
    assert accepted.status_code == 302
    member = Membership.objects.get(organisation=org, user=outsider.user)
    assert member.role == "contributor"
    actions = set(
        AuditEvent.objects.filter(organisation=org, actor_id=outsider.user.pk).values_list(
            "action", flat=True
        )
    )
    assert {"membership.created", "invitation.accepted"} <= actions
    # The link is spent.
    assert mine.get(link).status_code == 404


def test_a_new_address_creates_its_account_with_its_own_password(org, admin):
    admin.post("/members/", {"email": "newcomer@test.example", "full_name": "N", "role": "staff"})
    link = _link(mail.outbox[-1].body)
    weak = Client().post(link, {"full_name": "New", "password1": "short", "password2": "short"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    assert not Membership.objects.filter(user__email="newcomer@test.example").exists()
    client = Client()
    joined = client.post(
        link,
        {
            "full_name": "Newcomer",
            "password1": "a long passphrase 7",
            "password2": "a long passphrase 7",
        },
    )
    assert joined.status_code == 302
    member = Membership.objects.get(organisation=org, user__email="newcomer@test.example")
    assert member.role == "staff" and member.user.full_name == "Newcomer"
    assert member.user.check_password("a long passphrase 7")
    assert client.get("/").status_code == 200  # signed in


def test_guessed_revoked_and_foreign_invitations_are_refused(org, other_org, admin, outsider):
    assert Client().get("/invitations/not-a-real-secret/").status_code == 404
    admin.api("POST", "/api/v1/members", {"email": "later@test.example", "role": "staff"})
    link = _link(mail.outbox[-1].body)
    invitation = Invitation.objects.get(email="later@test.example")
    # Another organisation's admin (the outsider) can neither list nor revoke it.
    assert outsider.membership.role == "admin"
    assert outsider.api("DELETE", f"/api/v1/invitations/{invitation.pk}").status_code == 404
    theirs = outsider.api("GET", "/api/v1/invitations")
    assert theirs.status_code == 200 and theirs.json() == []
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    revoked = admin.api("DELETE", f"/api/v1/invitations/{invitation.pk}")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert Client().get(link).status_code == 404
    assert AuditEvent.objects.filter(organisation=org, action="invitation.revoked").count() == 1


def test_inviting_twice_or_a_member_is_a_clear_error(org, admin, contributor):
    first = admin.api("POST", "/api/v1/members", {"email": "twice@test.example", "role": "staff"})
    assert first.status_code == 201
    again = admin.api("POST", "/api/v1/members", {"email": "Twice@test.example", "role": "staff"})
    assert again.status_code == 400 and "pending invitation" in again.json()["message"]
    member = admin.api(
        "POST", "/api/v1/members", {"email": contributor.user.email, "role": "staff"}
    )
    assert member.status_code == 400 and "already a member" in member.json()["message"]
    assert Invitation.objects.filter(organisation=org).count() == 1


def test_expired_invitations_do_not_open(org, admin):
    invitation, secret = invitations.invite_member(
        org, email="late@test.example", role="staff", actor=admin.user
    )
    Invitation.objects.filter(pk=invitation.pk).update(valid_until=invitation.created_at)
    assert Client().get(f"/invitations/{secret}/").status_code == 404


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def test_a_mail_server_that_does_not_answer_is_a_message_and_the_invitation_stays(org, admin):
    unreachable = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": _closed_port(),
        "EMAIL_TIMEOUT": 5,
    }
    with override_settings(**unreachable):
        response = admin.api("POST", "/api/v1/members", {"email": "a@new.example", "role": "staff"})
        assert response.status_code == 201 and response.json()["email_sent"] is False
        page = admin.post("/members/", {"email": "b@new.example", "role": "staff"}, follow=True)
    assert page.status_code == 200
    assert "its e-mail could not be sent" in page.content.decode()
    pending = Invitation.objects.pending().filter(organisation=org)
    assert sorted(pending.values_list("email", flat=True)) == ["a@new.example", "b@new.example"]
    # with a working mail server the API says so
    sent = admin.api("POST", "/api/v1/members", {"email": "c@new.example", "role": "staff"})
    assert sent.json()["email_sent"] is True and len(mail.outbox) == 1
