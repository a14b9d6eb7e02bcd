"""The invitation link: the invited person accepts, signing in first if they have an account."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from aimwell.accounts import invitations
from aimwell.accounts.errors import AccountsError
from aimwell.accounts.middleware import SESSION_KEY
from aimwell.accounts.models import Invitation, User
from aimwell.accounts.request import AimwellRequest


class NewAccountForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Your name")
    password1 = forms.CharField(label="Choose a password", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Repeat the password", widget=forms.PasswordInput)

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                validate_password(str(first), User(email=self.email))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _joined(request: AimwellRequest, invitation: Invitation) -> HttpResponse:
    request.session[SESSION_KEY] = str(invitation.organisation_id)
    messages.success(request, f"Welcome to {invitation.organisation.name}.")
    return redirect("dashboard")


def invitation(request: AimwellRequest, secret: str) -> HttpResponse:
    """Public by design: the secret in the link is the credential, and it opens only this page."""
    found = invitations.find_invitation(secret)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    has_account = invitations.account_exists(found)
    user = request.user
    form = None
    error = None
    if has_account:
        if request.method == "POST" and user.is_authenticated:
            try:
                invitations.accept_invitation(found, user=user)
            except AccountsError as exc:
                error = str(exc)
            else:
                return _joined(request, found)
    elif not user.is_authenticated:
        form = NewAccountForm(request.POST or None, email=found.email)
        form.fields["full_name"].initial = found.full_name
        if request.method == "POST" and form.is_valid():
            try:
                membership = invitations.accept_as_new_account(
                    found,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except AccountsError as exc:
                error = str(exc)
            else:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
                return _joined(request, found)
    signed_in_as_other = user.is_authenticated and user.email.lower() != found.email
    context = {
        "invitation": found,
        "has_account": has_account,
        "form": form,
        "error": error,
        "signed_in_as_other": signed_in_as_other,
    }
    return render(request, "accounts/invitation.html", context, status=400 if error else 200)
