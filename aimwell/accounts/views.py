"""Pages: members and roles (admins change them), personal API tokens, organisation switch."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from aimwell.accounts import invitations, services
from aimwell.accounts.access import (
    get_invitation_for_admin,
    get_membership_for_admin,
    get_token_for_user,
    page_access,
    require,
)
from aimwell.accounts.errors import AccountsError
from aimwell.accounts.forms import AddMemberForm, EditMemberForm, TokenForm
from aimwell.accounts.middleware import SESSION_KEY
from aimwell.accounts.models import ApiToken, Invitation, Membership
from aimwell.accounts.pickers import member_options
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import ROLE_DESCRIPTIONS, ROLE_LABELS, Capability, Role


@login_required
@page_access(Capability.READ_ALL)
def member_pick(request: AimwellRequest) -> HttpResponse:
    """The member picker of the forms that name a person (an owner, whom to ask, a guest): this
    organisation's active members by name or e-mail; with ?guests=1 its guests only, otherwise its
    own people; with ?role=… (repeated) only members holding one of those roles; with
    ?ids=membership answered by membership rather than user id. Guests may not
    browse who else belongs, so they are refused."""
    membership = require(request.membership, Capability.READ_ALL)
    if membership.role == Role.EXTERNAL_AUDITOR:
        raise PermissionDenied("Guests cannot search the organisation's members.")
    query = request.GET.get("q", "").strip()[:200]
    guests = request.GET.get("guests") == "1"
    roles = [r for r in request.GET.getlist("role") if r in {x.value for x in Role}]
    by_membership = request.GET.get("ids") == "membership"
    options = member_options(
        membership.organisation, query, guests=guests, roles=roles, memberships=by_membership
    )
    return render(request, "core/_picker_results.html", {"options": options, "query": query})


@login_required
@require_POST
def switch_organisation(request: AimwellRequest) -> HttpResponse:
    chosen = request.POST.get("organisation", "")
    try:
        org_id = uuid.UUID(chosen)
    except ValueError as exc:
        raise Http404("No such organisation.") from exc
    chosen_membership = (
        Membership.objects.active()
        .filter(user_id=request.user.pk, organisation_id=org_id)  # type: ignore[misc]
        .first()
    )
    if chosen_membership is None:
        raise Http404("No such organisation.")
    services.remember_organisation(chosen_membership)
    request.session[SESSION_KEY] = str(org_id)
    return redirect("dashboard")


@login_required
@page_access(Capability.READ_ALL)
def members(request: AimwellRequest) -> HttpResponse:
    # Who belongs to the organisation is read like any register: staff may not (as in the API).
    membership = require(request.membership, Capability.READ_ALL)
    is_admin = membership.role == Role.ADMIN
    form = AddMemberForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        require(membership, Capability.MANAGE_MEMBERS)
        assert form is not None
        if form.is_valid():
            try:
                invitation, secret = invitations.invite_member(
                    membership.organisation, actor=request.user, **form.cleaned_data
                )
            except AccountsError as exc:
                form.add_error(None, str(exc))
            else:
                accept_url = request.build_absolute_uri(reverse("invitation", args=[secret]))
                if invitations.send_invitation(invitation, accept_url=accept_url):
                    messages.success(
                        request,
                        f"An invitation was sent to {invitation.email}; "
                        "they join when they accept.",
                    )
                else:
                    messages.error(
                        request, invitations.EMAIL_NOT_SENT.format(email=invitation.email)
                    )
                return redirect("members")
    rows = Membership.objects.filter(organisation_id=membership.organisation_id).select_related(
        "user"
    )
    pending = (
        Invitation.objects.pending().filter(organisation_id=membership.organisation_id)
        if is_admin
        else Invitation.objects.none()
    )
    roles = [(ROLE_LABELS[r], ROLE_DESCRIPTIONS[r]) for r in Role]
    context = {
        "rows": rows,
        "form": form,
        "is_admin": is_admin,
        "roles": roles,
        "pending": pending,
    }
    return render(request, "accounts/members.html", context)


@login_required
@require_POST
def unlock_member(request: AimwellRequest, member_id: uuid.UUID) -> HttpResponse:
    """Lift a sign-in lockout of a member (an admin of one of their organisations)."""
    target = get_membership_for_admin(request.user, request.organisation, member_id)
    services.unlock_sign_in(target.user, actor=request.user)
    messages.success(request, f"Sign-in of {target.user.email} is unlocked.")
    return redirect("member-edit", member_id=target.pk)


@login_required
@require_POST
def revoke_invitation(request: AimwellRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = get_invitation_for_admin(request.user, request.organisation, invitation_id)
    invitations.revoke_invitation(invitation, actor=request.user)
    messages.success(request, f"The invitation of {invitation.email} was revoked.")
    return redirect("members")


@login_required
def edit_member(request: AimwellRequest, member_id: uuid.UUID) -> HttpResponse:
    target = get_membership_for_admin(request.user, request.organisation, member_id)
    initial = {f: getattr(target, f) for f in EditMemberForm.base_fields if hasattr(target, f)}
    form = EditMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_membership(target, actor=request.user, **form.cleaned_data)
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{target.user.email} was updated.")
            return redirect("members")
    return render(request, "accounts/member_edit.html", {"target": target, "form": form})


@login_required
def tokens(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.USE_API_TOKENS)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _, secret = services.create_api_token(membership, actor=request.user, **form.cleaned_data)
        form = TokenForm()
    rows = ApiToken.objects.visible_to(request.user, membership.organisation)
    return render(request, "accounts/tokens.html", {"rows": rows, "form": form, "secret": secret})


@login_required
@require_POST
def revoke_token(request: AimwellRequest, token_id: uuid.UUID) -> HttpResponse:
    token = get_token_for_user(request.user, token_id)
    services.revoke_api_token(token, actor=request.user)
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("tokens")


class AuditedPasswordChangeView(PasswordChangeView):
    success_url = reverse_lazy("password_change_done")
    request: AimwellRequest

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        organisation = self.request.organisation
        services.change_password(
            self.request.user,  # type: ignore[arg-type]
            new_password=form.cleaned_data["new_password1"],
            organisation_id=organisation.pk if organisation else None,
        )
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())
