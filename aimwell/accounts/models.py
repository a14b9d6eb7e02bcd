"""Users, organisations, memberships (role + designations) and personal API tokens."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from aimwell.accounts.roles import ROLE_LABELS, AIMSProcess, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    # Django-admin access only; AIMS rights come from memberships.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    # Members must sign in with a second factor (TOTP); those without one are sent to enrol.
    require_mfa = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self) -> uuid.UUID:
        """An organisation belongs to itself, so audit events and access checks treat it alike."""
        return self.id


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        now = timezone.now()
        return self.filter(is_active=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def visible_to(self, user: Any, organisation: Organisation | None = None) -> MembershipQuerySet:
        """Members of the organisations the user belongs to (optionally one of them)."""
        org_ids = Membership.objects.active().filter(user_id=user.pk).values("organisation_id")
        qs = self.filter(organisation_id__in=org_ids)
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        return qs


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    is_active = models.BooleanField(default=True)
    # Designations checked by later features (policy approval, risk acceptance, audit independence).
    is_top_management = models.BooleanField(default=False)
    risk_acceptance_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Highest risk level this member may accept; empty means none.",
    )
    owned_processes = models.JSONField(default=list, blank=True)
    # External auditors: a time box and the scope of the audit.
    expires_at = models.DateTimeField(null=True, blank=True)
    scope_note = models.CharField(max_length=500, blank=True)
    # When the member last chose this organisation in the switcher: where they land next time.
    last_chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role_label})"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def owned_process_labels(self) -> list[str]:
        return [AIMSProcess(p).label for p in self.owned_processes]

    def owns_process(self, process: AIMSProcess) -> bool:
        return process.value in self.owned_processes


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: Any, organisation: Organisation | None = None) -> ApiTokenQuerySet:
        """People see their own tokens only; admins manage members, not other people's secrets."""
        qs = self.filter(user_id=user.pk)
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        return qs


class ApiToken(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # Only a prefix (to recognise the token) and a SHA-256 digest are stored.
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, valid_until__gt=timezone.now()
        )

    def visible_to(self, user: Any, organisation: Organisation | None = None) -> InvitationQuerySet:
        """Invitations of the organisations the user belongs to (optionally one of them)."""
        org_ids = Membership.objects.active().filter(user_id=user.pk).values("organisation_id")
        qs = self.filter(organisation_id__in=org_ids)
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        return qs


class Invitation(models.Model):
    """An offer to join an organisation, accepted by whoever controls the email address.

    Adding a member never enrols an existing account silently, nor shows what another organisation
    knows of them: the person accepts the link sent to their address (and, if they already have an
    account, signs in to it first). The role and designations are those the membership will have.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    # The name the inviter typed: offered when a new account is created, never shown to others.
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    is_top_management = models.BooleanField(default=False)
    risk_acceptance_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    owned_processes = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scope_note = models.CharField(max_length=500, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Only a SHA-256 digest of the link's secret is kept.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organisation_id}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_until <= timezone.now():
            return "expired"
        return "pending"


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect identity provider for single sign-on.

    People whose email domain is one of `email_domains` sign in through it. The client secret is
    not stored: `client_secret_variable` names the environment variable that holds it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider"
    )
    issuer = models.URLField(max_length=300)
    client_id = models.CharField(max_length=200)
    client_secret_variable = models.CharField(max_length=100)
    email_domains = models.JSONField(default=list)
    # The role of people the provider signs in for the first time (their membership is created).
    default_role = models.CharField(
        max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role], default=Role.STAFF
    )
    is_enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Single sign-on of {self.organisation_id} via {self.issuer}"


class SsoIdentity(models.Model):
    """Which account a provider's subject (`sub`) signs in to, fixed at the first sign-in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities"
    )
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sso_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="one_account_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.provider_id}"
