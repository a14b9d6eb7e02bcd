"""The only writers of invitations: adding someone to an organisation is an offer they accept.

An admin names an email address and the membership it would have; the person gets a link by email
(only the link's digest is stored). Whoever opens it must control that address, and if an account
already exists for it, must also be signed in to that account. Until then nothing about the person
is shown to the inviting organisation, and they are not a member of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from aimwell.accounts.errors import AccountsError
from aimwell.accounts.models import Invitation, Membership, Organisation, User
from aimwell.accounts.roles import Role
from aimwell.accounts.services import MEMBERSHIP_FIELDS, clean_processes, create_user
from aimwell.core.audit import diff, record_for, snapshot

logger = logging.getLogger(__name__)

INVITATION_VALID_DAYS = 14
EMAIL_NOT_SENT = (
    "The invitation to {email} is saved, but its e-mail could not be sent (the mail server "
    "refused it or did not answer). Check the e-mail settings, then revoke the invitation and "
    "invite again."
)
INVITATION_FIELDS = tuple(f for f in MEMBERSHIP_FIELDS if f != "is_active")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def invite_member(
    organisation: Organisation,
    *,
    email: str,
    role: str,
    actor: Any,
    full_name: str = "",
    is_top_management: bool = False,
    risk_acceptance_limit: int | None = None,
    owned_processes: Any = (),
    expires_at: dt.datetime | None = None,
    scope_note: str = "",
) -> tuple[Invitation, str]:
    """Invite an email address; returns the invitation and the link's secret (to send, once)."""
    role = Role(role).value
    email = email.strip().lower()
    if role == Role.EXTERNAL_AUDITOR and expires_at is None:
        raise AccountsError("An external auditor's access needs an expiry date.")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise AccountsError(f"{email} is already a member of {organisation.name}.")
    if Invitation.objects.pending().filter(organisation=organisation, email=email).exists():
        raise AccountsError(f"{email} already has a pending invitation; revoke it to send another.")
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        full_name=full_name,
        role=role,
        is_top_management=is_top_management,
        risk_acceptance_limit=risk_acceptance_limit,
        owned_processes=clean_processes(owned_processes),
        expires_at=expires_at,
        scope_note=scope_note,
        invited_by=actor if isinstance(actor, User) else None,
        digest=_digest(secret),
        valid_until=timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS),
    )
    record_for(
        invitation,
        actor=actor,
        action="invitation.created",
        changes=diff({}, {"email": email, **snapshot(invitation, INVITATION_FIELDS)}),
    )
    return invitation, secret


def send_invitation(invitation: Invitation, *, accept_url: str) -> bool:
    """Email the link; called once `invite_member` has committed the invitation. Returns whether
    the mail server took the message: when it refuses or does not answer, the invitation stays
    (pending, revocable) and the caller tells the admin, instead of failing the request."""
    inviter = invitation.invited_by.display_name if invitation.invited_by else "An administrator"
    body = (
        f"{inviter} invites you to join {invitation.organisation.name} in Aimwell as "
        f"{invitation.role_label}.\n\nAccept (valid until {invitation.valid_until:%d %b %Y}):\n"
        f"{accept_url}\n\nIf you did not expect this, ignore this message: nothing happens "
        "unless you accept."
    )
    subject = f"Invitation to {invitation.organisation.name} on Aimwell"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except (OSError, smtplib.SMTPException):  # refused, unreachable, TLS or login failure
        logger.warning("invitation %s: the e-mail could not be sent", invitation.pk, exc_info=True)
        return False
    return True


def find_invitation(secret: str) -> Invitation | None:
    """The pending invitation a link's secret opens, or None (unknown, used, revoked, expired)."""
    if not secret or len(secret) > 100:
        return None
    return (
        Invitation.objects.pending()
        .select_related("organisation", "invited_by")
        .filter(digest=_digest(secret))
        .first()
    )


def account_exists(invitation: Invitation) -> bool:
    return User.objects.filter(email__iexact=invitation.email).exists()


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User) -> Membership:
    """The invited person, signed in, accepts: they become a member with the offered role."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != "pending":
        raise AccountsError("This invitation is no longer valid.")
    if user.email.lower() != locked.email:
        raise AccountsError("This invitation was sent to another email address.")
    if Membership.objects.filter(organisation_id=locked.organisation_id, user=user).exists():
        raise AccountsError("You are already a member of this organisation.")
    membership = Membership.objects.create(
        organisation_id=locked.organisation_id,
        user=user,
        **{f: getattr(locked, f) for f in INVITATION_FIELDS},
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    record_for(
        membership,
        actor=user,
        action="membership.created",
        changes=diff({}, {"user": user.email, **snapshot(membership, MEMBERSHIP_FIELDS)}),
    )
    record_for(
        locked, actor=user, action="invitation.accepted", changes={"accepted": [False, True]}
    )
    return membership


@transaction.atomic
def accept_as_new_account(invitation: Invitation, *, full_name: str, password: str) -> Membership:
    """Someone without an account accepts: their account is created with their own password."""
    if account_exists(invitation):
        raise AccountsError("An account exists for this address: sign in to accept.")
    user = create_user(email=invitation.email, full_name=full_name, password=password)
    return accept_invitation(invitation, user=user)


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: Any) -> Invitation:
    if invitation.status == "pending":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_for(
            invitation, actor=actor, action="invitation.revoked", changes={"revoked": [False, True]}
        )
    return invitation
