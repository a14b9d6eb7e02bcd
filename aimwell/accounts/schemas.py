"""API schemas of accounts: explicit fields in and out, never whole models."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import EmailStr, Field, field_validator

from aimwell.accounts.roles import AIMSProcess, Role


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    slug: str


class MembershipBriefOut(Schema):
    organisation: OrganisationOut
    role: Role
    is_top_management: bool
    expires_at: dt.datetime | None


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    current_organisation: OrganisationOut
    current_role: Role
    memberships: list[MembershipBriefOut]


class MemberOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    is_active: bool
    is_top_management: bool
    risk_acceptance_limit: int | None
    owned_processes: list[AIMSProcess]
    expires_at: dt.datetime | None
    scope_note: str

    @staticmethod
    def resolve_email(obj: object) -> str:
        return str(obj.user.email)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_full_name(obj: object) -> str:
        return str(obj.user.full_name)  # type: ignore[attr-defined]


class MemberIn(Schema):
    email: EmailStr
    full_name: str = Field("", max_length=150)
    role: Role
    is_top_management: bool = False
    risk_acceptance_limit: int | None = Field(None, ge=1, le=25)
    owned_processes: list[AIMSProcess] = []
    expires_at: dt.datetime | None = None
    scope_note: str = Field("", max_length=500)


class MemberPatch(Schema):
    role: Role | None = None
    is_active: bool | None = None
    is_top_management: bool | None = None
    risk_acceptance_limit: int | None = Field(None, ge=1, le=25)
    owned_processes: list[AIMSProcess] | None = None
    expires_at: dt.datetime | None = None
    scope_note: str | None = Field(None, max_length=500)


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: dt.datetime | None = None

    @field_validator("name")
    @classmethod
    def strip_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Give the token a name.")
        return value


class TokenOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="Shown once; store it now. Only a digest is kept.")


class SingleSignOnOut(Schema):
    issuer: str
    email_domains: list[str]
    default_role: Role
    is_enabled: bool


class SignInPolicyOut(Schema):
    require_mfa: bool = Field(..., description="Members must sign in with a second factor.")
    single_sign_on: SingleSignOnOut | None


class SignInPolicyIn(Schema):
    require_mfa: bool


class InvitationOut(Schema):
    """What the inviting organisation knows: what it typed itself, never the person's account."""

    id: uuid.UUID
    email: str
    role: Role
    is_top_management: bool
    risk_acceptance_limit: int | None
    owned_processes: list[AIMSProcess]
    expires_at: dt.datetime | None
    scope_note: str
    status: str = Field(..., description="pending, accepted, revoked or expired")
    created_at: dt.datetime
    valid_until: dt.datetime
    email_sent: bool | None = Field(
        None,
        description="On creation: whether the mail server took the invitation e-mail (when "
        "false, the invitation is saved and can be revoked and sent again); null elsewhere.",
    )
