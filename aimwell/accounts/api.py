"""REST endpoints for the signed-in member, the organisation's members and personal API tokens."""

import uuid

from django.urls import reverse
from ninja import Router, Status
from ninja.errors import HttpError

from aimwell.accounts import invitations, mfa, services
from aimwell.accounts.access import (
    get_invitation_for_admin,
    get_membership_for_admin,
    get_token_for_user,
    member,
    require,
)
from aimwell.accounts.errors import AccountsError
from aimwell.accounts.models import (
    ApiToken,
    IdentityProvider,
    Invitation,
    Membership,
    Organisation,
)
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability
from aimwell.accounts.schemas import (
    InvitationOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    MeOut,
    SignInPolicyIn,
    SignInPolicyOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from aimwell.core import concurrency

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="The signed-in member and their organisations")
def me(request: AimwellRequest) -> dict[str, object]:
    membership = member(request.membership)
    memberships = (
        Membership.objects.active().select_related("organisation").filter(user=request.user)  # type: ignore[misc]
    )
    return {
        "id": request.user.pk,
        "email": request.user.email,  # type: ignore[union-attr]
        "full_name": request.user.full_name,  # type: ignore[union-attr]
        "current_organisation": membership.organisation,
        "current_role": membership.role,
        "memberships": list(memberships),
    }


@router.get("/members", response=list[MemberOut], summary="Members of the organisation")
def list_members(request: AimwellRequest) -> list[Membership]:
    membership = require(request.membership, Capability.READ_ALL)
    return list(
        Membership.objects.filter(organisation_id=membership.organisation_id).select_related("user")
    )


@router.post(
    "/members",
    response={201: InvitationOut},
    summary="Invite a member (admins): they join when they accept the emailed link",
)
def add_member(request: AimwellRequest, payload: MemberIn) -> Status[InvitationOut]:
    membership = require(request.membership, Capability.MANAGE_MEMBERS)
    try:
        invitation, secret = invitations.invite_member(
            membership.organisation, actor=request.user, **payload.model_dump()
        )
    except AccountsError as exc:
        raise HttpError(400, str(exc)) from exc
    accept_url = request.build_absolute_uri(reverse("invitation", args=[secret]))
    sent = invitations.send_invitation(invitation, accept_url=accept_url)
    return Status(201, InvitationOut.from_orm(invitation).model_copy(update={"email_sent": sent}))


def _sign_in_policy(organisation: Organisation) -> dict[str, object]:
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    return {"require_mfa": organisation.require_mfa, "single_sign_on": provider}


@router.get(
    "/organisation/sign-in",
    response=SignInPolicyOut,
    summary="How members sign in: two-factor requirement and single sign-on",
)
def get_sign_in_policy(request: AimwellRequest) -> dict[str, object]:
    membership = require(request.membership, Capability.READ_ALL)
    concurrency.fetched(membership.organisation, write=False)  # its ETag
    return _sign_in_policy(membership.organisation)


@router.put(
    "/organisation/sign-in",
    response=SignInPolicyOut,
    summary="Require (or stop requiring) two-factor sign-in of every member (admins)",
)
def set_sign_in_policy(request: AimwellRequest, payload: SignInPolicyIn) -> dict[str, object]:
    membership = require(request.membership, Capability.MANAGE_MEMBERS)
    concurrency.fetched(membership.organisation, write=True)  # a stale If-Match is a 409
    mfa.set_policy(membership.organisation, require_mfa=payload.require_mfa, actor=request.user)
    return _sign_in_policy(membership.organisation)


@router.get("/invitations", response=list[InvitationOut], summary="Invitations sent (admins)")
def list_invitations(request: AimwellRequest) -> list[Invitation]:
    membership = require(request.membership, Capability.MANAGE_MEMBERS)
    return list(Invitation.objects.filter(organisation_id=membership.organisation_id))


@router.delete(
    "/invitations/{invitation_id}", response=InvitationOut, summary="Revoke an invitation"
)
def revoke_invitation(request: AimwellRequest, invitation_id: uuid.UUID) -> Invitation:
    invitation = get_invitation_for_admin(request.user, request.organisation, invitation_id)
    return invitations.revoke_invitation(invitation, actor=request.user)


@router.get("/members/{member_id}", response=MemberOut, summary="One member")
def get_member(request: AimwellRequest, member_id: uuid.UUID) -> Membership:
    membership = require(request.membership, Capability.READ_ALL)
    target = (
        Membership.objects.select_related("user")
        .filter(organisation_id=membership.organisation_id, pk=member_id)
        .first()
    )
    if target is None:
        raise HttpError(404, "Not found.")
    return target


@router.patch("/members/{member_id}", response=MemberOut, summary="Change role or designations")
def update_member(
    request: AimwellRequest, member_id: uuid.UUID, payload: MemberPatch
) -> Membership:
    target = get_membership_for_admin(request.user, request.organisation, member_id)
    try:
        return services.update_membership(
            target, actor=request.user, **payload.model_dump(exclude_unset=True)
        )
    except AccountsError as exc:
        raise HttpError(400, str(exc)) from exc


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens in this organisation")
def list_tokens(request: AimwellRequest) -> list[ApiToken]:
    membership = member(request.membership)
    return list(ApiToken.objects.visible_to(request.user, membership.organisation))


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
def create_token(request: AimwellRequest, payload: TokenIn) -> Status[dict[str, object]]:
    membership = require(request.membership, Capability.USE_API_TOKENS)
    token, secret = services.create_api_token(
        membership, name=payload.name, expires_at=payload.expires_at, actor=request.user
    )
    out = TokenOut.model_validate(token).model_dump()
    return Status(201, {**out, "secret": secret})


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: AimwellRequest, token_id: uuid.UUID) -> ApiToken:
    token = get_token_for_user(request.user, token_id)
    return services.revoke_api_token(token, actor=request.user)
