"""The only writers of users, organisations, memberships and API tokens; each records an event."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from axes.utils import reset as reset_signin_attempts
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from aimwell.accounts.errors import AccountsError, LastAdminError
from aimwell.accounts.models import ApiToken, Membership, Organisation, User
from aimwell.accounts.roles import AIMSProcess, Role
from aimwell.core.audit import diff, record_for, snapshot, start_chain

TOKEN_PREFIX = "aw_"  # noqa: S105 (a public marker, not a secret)
MEMBERSHIP_FIELDS = (
    "role",
    "is_active",
    "is_top_management",
    "risk_acceptance_limit",
    "owned_processes",
    "expires_at",
    "scope_note",
)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_organisation(*, name: str, slug: str | None = None, actor: Any | None) -> Organisation:
    org = Organisation.objects.create(name=name, slug=slug or slugify(name)[:60])
    start_chain(org.id)
    record_for(org, actor=actor, action="organisation.created", changes={"name": [None, name]})
    return org


@transaction.atomic
def rename_organisation(org: Organisation, *, name: str, actor: Any) -> Organisation:
    before = snapshot(org, ["name"])
    org.name = name
    org.save(update_fields=["name", "updated_at"])
    record_for(
        org, actor=actor, action="organisation.updated", changes=diff(before, {"name": name})
    )
    return org


@transaction.atomic
def create_user(*, email: str, full_name: str = "", password: str | None = None) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def clean_processes(processes: Iterable[str]) -> list[str]:
    return sorted({AIMSProcess(p).value for p in processes})


def _ensure_an_admin_remains(membership: Membership, *, new_role: str, active: bool) -> None:
    if membership.role != Role.ADMIN or (new_role == Role.ADMIN and active):
        return
    others = (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise LastAdminError("An organisation must keep at least one active admin.")


@transaction.atomic
def add_member(
    organisation: Organisation,
    *,
    email: str,
    role: str,
    actor: Any | None,
    full_name: str = "",
    password: str | None = None,
    is_top_management: bool = False,
    risk_acceptance_limit: int | None = None,
    owned_processes: Iterable[str] = (),
    expires_at: dt.datetime | None = None,
    scope_note: str = "",
) -> Membership:
    """Add a person to an organisation, creating their account when it does not exist yet."""
    role = Role(role).value
    if role == Role.EXTERNAL_AUDITOR and expires_at is None:
        raise AccountsError("An external auditor's access needs an expiry date.")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = create_user(email=email, full_name=full_name, password=password)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise AccountsError(f"{user.email} is already a member of {organisation.name}.")
    membership = Membership.objects.create(
        organisation=organisation,
        user=user,
        role=role,
        is_top_management=is_top_management,
        risk_acceptance_limit=risk_acceptance_limit,
        owned_processes=clean_processes(owned_processes),
        expires_at=expires_at,
        scope_note=scope_note,
    )
    record_for(
        membership,
        actor=actor,
        action="membership.created",
        changes=diff({}, {"user": user.email, **snapshot(membership, MEMBERSHIP_FIELDS)}),
    )
    return membership


@transaction.atomic
def update_membership(membership: Membership, *, actor: Any, **changes: Any) -> Membership:
    """Change role, designations or expiry. Unknown fields are a programming error."""
    unknown = set(changes) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Not membership fields: {sorted(unknown)}")
    if "role" in changes:
        changes["role"] = Role(changes["role"]).value
    if "owned_processes" in changes:
        changes["owned_processes"] = clean_processes(changes["owned_processes"])
    new_role = changes.get("role", membership.role)
    if (
        new_role == Role.EXTERNAL_AUDITOR
        and changes.get("expires_at", membership.expires_at) is None
    ):
        raise AccountsError("An external auditor's access needs an expiry date.")
    _ensure_an_admin_remains(
        membership, new_role=new_role, active=changes.get("is_active", membership.is_active)
    )
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    for name, value in changes.items():
        setattr(membership, name, value)
    after = snapshot(membership, MEMBERSHIP_FIELDS)
    changed = diff(before, after)
    if changed:
        membership.save(update_fields=[*changed, "updated_at"])
        record_for(membership, actor=actor, action="membership.updated", changes=changed)
    return membership


def deactivate_membership(membership: Membership, *, actor: Any) -> Membership:
    return update_membership(membership, actor=actor, is_active=False)


@transaction.atomic
def create_api_token(
    membership: Membership, *, name: str, actor: Any, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for a member; the secret is returned once and only its digest is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation_id=membership.organisation_id,
        user_id=membership.user_id,
        name=name,
        prefix=secret[:10],
        digest=hash_token(secret),
        expires_at=expires_at,
    )
    record_for(token, actor=actor, action="api_token.created", changes={"name": [None, name]})
    return token, secret


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_for(
            token, actor=actor, action="api_token.revoked", changes={"revoked": [False, True]}
        )
    return token


@transaction.atomic
def change_password(user: User, *, new_password: str, organisation_id: Any | None) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    if organisation_id is not None:
        record_for(
            user,
            actor=user,
            action="user.password_changed",
            organisation_id=organisation_id,
        )


def touch_token(token: ApiToken) -> None:
    """Note the token's use, at most once a minute, so reads do not turn into writes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(seconds=60):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def remember_organisation(membership: Membership) -> Membership:
    """Note that the member chose this organisation, so they land in it at their next sign-in.
    A personal preference, like a token's last use: not a change to the AIMS, so no audit event."""
    now = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(last_chosen_at=now)
    membership.last_chosen_at = now
    return membership


def landing_membership(user: Any) -> Membership | None:
    """Where a member lands after signing in: the organisation they chose last in the switcher,
    else the one with the most activity (events in its audit trail), else the first by name."""
    from django.db.models import F, OuterRef, Subquery

    from aimwell.core.models import AuditChainHead

    activity = AuditChainHead.objects.filter(organisation_id=OuterRef("organisation_id")).values(
        "seq"
    )[:1]
    return (
        Membership.objects.active()
        .select_related("organisation")
        .filter(user_id=user.pk)
        .annotate(activity=Subquery(activity))
        .order_by(
            F("last_chosen_at").desc(nulls_last=True),
            F("activity").desc(nulls_last=True),
            "organisation__name",
        )
        .first()
    )


@transaction.atomic
def unlock_sign_in(user: User, *, actor: Any | None) -> int:
    """Lift a sign-in lockout of the account (failed attempts forgotten); recorded in every
    organisation the person belongs to, whose admins answer for their access. Returns how many
    attempt records were cleared."""
    cleared = reset_signin_attempts(username=user.email.lower())
    for org_id in Membership.objects.filter(user=user).values_list("organisation_id", flat=True):
        record_for(
            user,
            actor=actor,
            action="user.signin_unlocked",
            changes={"failed_attempts_cleared": [cleared, 0]},
            organisation_id=org_id,
        )
    return int(cleared)
