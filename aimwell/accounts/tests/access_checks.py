"""Access checks of the accounts, audit-trail and shell routes (collected by the role matrix)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from aimwell.accounts import invitations, services
from aimwell.testing import AUDIT_VIEWERS, READERS, ROLES, Check


def setup(ctx: dict[str, Any]) -> None:
    token, _ = services.create_api_token(ctx["everyone"]["admin"].membership, name="t", actor="t")
    ctx["token"] = token
    invitation, _ = invitations.invite_member(
        ctx["everyone"]["admin"].membership.organisation,
        email="invited@test.example",
        role="staff",
        actor="t",
    )
    ctx["invitation"] = invitation


def _member_id(ctx: dict[str, Any]) -> str:
    return str(ctx["everyone"]["staff"].membership.pk)


def _invitation_id(ctx: dict[str, Any]) -> str:
    return str(ctx["invitation"].pk)


def _token_of_admin(ctx: dict[str, Any]) -> str:
    return str(ctx["token"].pk)


WEB: dict[str, Check | str] = {
    "login": "sign-in page, public by design",
    "logout": "signs out the current user only",
    "password_change": "acts on the signed-in user only",
    "password_change_done": "acts on the signed-in user only",
    "two-factor": "acts on the signed-in user's own second factor only",
    "two-factor-verify": "acts on the signed-in user's own second factor only",
    "two-factor-recovery": "acts on the signed-in user's own second factor only",
    "two-factor-disable": "acts on the signed-in user's own second factor only",
    "mfa-policy": Check(
        "POST",
        lambda c: reverse("mfa-policy"),
        {"admin"},
        object=False,
        ok=302,
        body=lambda role: {"require_mfa": ""},
    ),
    "sso-start": "public by design: starts a single sign-on at the provider of an email domain",
    "sso-callback": "public by design: completes a single sign-on this session started",
    "invitation": "public by design: the emailed link's secret opens only its own invitation",
    "member-unlock": Check(
        "POST",
        lambda c: reverse("member-unlock", args=[_member_id(c)]),
        {"admin"},
        object=True,
        ok=302,
    ),
    "invitation-revoke": Check(
        "POST",
        lambda c: reverse("invitation-revoke", args=[_invitation_id(c)]),
        {"admin"},
        object=True,
        ok=302,
    ),
    "dashboard": Check("GET", lambda c: reverse("dashboard"), set(ROLES), object=False),
    "members": Check("GET", lambda c: reverse("members"), READERS, object=False),
    # The picker of forms naming a person: the organisation's own people, never to a guest.
    "member-pick": Check(
        "GET", lambda c: reverse("member-pick") + "?q=a", READERS - {"external_auditor"}, False
    ),
    "member-edit": Check(
        "GET", lambda c: reverse("member-edit", args=[_member_id(c)]), {"admin"}, object=True
    ),
    "tokens": Check(
        "GET", lambda c: reverse("tokens"), set(ROLES) - {"external_auditor"}, object=False
    ),
    # Tokens are personal: only their owner (here the admin) may revoke them.
    "token-revoke": Check(
        "POST",
        lambda c: reverse("token-revoke", args=[_token_of_admin(c)]),
        {"admin"},
        object=True,
        ok=302,
        personal=True,
    ),
    "audit-trail": Check("GET", lambda c: reverse("audit-trail"), AUDIT_VIEWERS, object=False),
    "object-history": Check(
        "GET",
        lambda c: reverse("object-history", args=["accounts.membership", _member_id(c)]),
        AUDIT_VIEWERS,
        object=True,
    ),
    "switch-organisation": Check(
        "POST",
        lambda c: reverse("switch-organisation"),
        set(ROLES),
        object=True,
        body=lambda role: {"organisation": "ORG"},
        ok=302,
    ),
}

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/v1/me"): Check("GET", lambda c: "/api/v1/me", set(ROLES), object=False),
    ("GET", "/api/v1/members"): Check("GET", lambda c: "/api/v1/members", READERS, object=False),
    ("POST", "/api/v1/members"): Check(
        "POST",
        lambda c: "/api/v1/members",
        {"admin"},
        object=False,
        ok=201,
        body=lambda role: {"email": f"new-{role}@test.example", "role": "staff"},
    ),
    ("GET", "/api/v1/members/{member_id}"): Check(
        "GET", lambda c: f"/api/v1/members/{_member_id(c)}", READERS, object=True
    ),
    ("PATCH", "/api/v1/members/{member_id}"): Check(
        "PATCH",
        lambda c: f"/api/v1/members/{_member_id(c)}",
        {"admin"},
        object=True,
        body=lambda role: {"is_top_management": False},
    ),
    ("GET", "/api/v1/organisation/sign-in"): Check(
        "GET", lambda c: "/api/v1/organisation/sign-in", READERS, object=False
    ),
    ("PUT", "/api/v1/organisation/sign-in"): Check(
        "PUT",
        lambda c: "/api/v1/organisation/sign-in",
        {"admin"},
        object=False,
        body=lambda role: {"require_mfa": False},
    ),
    ("GET", "/api/v1/invitations"): Check(
        "GET", lambda c: "/api/v1/invitations", {"admin"}, object=False
    ),
    ("DELETE", "/api/v1/invitations/{invitation_id}"): Check(
        "DELETE", lambda c: f"/api/v1/invitations/{_invitation_id(c)}", {"admin"}, object=True
    ),
    ("GET", "/api/v1/tokens"): Check("GET", lambda c: "/api/v1/tokens", set(ROLES), object=False),
    ("POST", "/api/v1/tokens"): Check(
        "POST",
        lambda c: "/api/v1/tokens",
        set(ROLES) - {"external_auditor"},
        object=False,
        ok=201,
        body=lambda role: {"name": f"script of {role}"},
    ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Check(
        "DELETE",
        lambda c: f"/api/v1/tokens/{_token_of_admin(c)}",
        {"admin"},
        object=True,
        personal=True,
    ),
    ("GET", "/api/v1/audit-events"): Check(
        "GET", lambda c: "/api/v1/audit-events", AUDIT_VIEWERS, object=False
    ),
    ("POST", "/api/v1/audit-events/verify"): Check(
        "POST", lambda c: "/api/v1/audit-events/verify", AUDIT_VIEWERS, object=False
    ),
}
