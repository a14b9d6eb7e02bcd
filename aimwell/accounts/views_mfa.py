"""Pages of two-factor sign-in: enrol with a QR code, enter a code after the password, recovery
codes (shown once), switching it off; and the organisation's policy (admins)."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from aimwell.accounts import mfa
from aimwell.accounts.access import require
from aimwell.accounts.errors import AccountsError
from aimwell.accounts.request import AimwellRequest
from aimwell.accounts.roles import Capability


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
        help_text="Six digits from your authenticator app, or one of your recovery codes.",
    )


def _qr_svg(uri: str) -> str:
    # segno writes the SVG itself from the URI (no user-typed markup goes into it).
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator")
    return mark_safe(svg)  # noqa: S308


@login_required
def two_factor(request: AimwellRequest) -> HttpResponse:
    """Enrol (QR code and a first code), or, once on, renew recovery codes or switch it off."""
    user = request.user
    enrolled = mfa.has_second_factor(user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The six digits your authenticator app shows now."
    if request.method == "POST" and not enrolled and form.is_valid():
        try:
            codes = mfa.confirm_enrolment(request, user, form.cleaned_data["code"])  # type: ignore[arg-type]
        except AccountsError as exc:
            form.add_error("code", str(exc))
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context: dict[str, object] = {"enrolled": enrolled, "form": form}
    if enrolled:
        context["remaining"] = mfa.remaining_recovery_codes(user)  # type: ignore[arg-type]
    else:
        device = mfa.pending_totp(user)  # type: ignore[arg-type]
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = mfa.base32_secret(device)
        context["required"] = mfa.enrolment_required(request, request.organisation)
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def renew_recovery_codes(request: AimwellRequest) -> HttpResponse:
    try:
        codes = mfa.regenerate_recovery_codes(request.user)  # type: ignore[arg-type]
    except AccountsError as exc:
        messages.error(request, str(exc))
        return redirect("two-factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def disable_two_factor(request: AimwellRequest) -> HttpResponse:
    """Switching it off takes a current code, so a borrowed session alone cannot do it."""
    form = CodeForm(request.POST)
    user = request.user
    try:
        if not form.is_valid():
            raise AccountsError("Enter a current code to switch two-factor sign-in off.")
        mfa.verify_code(request, user, form.cleaned_data["code"])  # type: ignore[arg-type]
    except AccountsError as exc:
        messages.error(request, str(exc))
        return redirect("two-factor")
    mfa.disable(request, user)  # type: ignore[arg-type]
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("two-factor")


@login_required
def verify(request: AimwellRequest) -> HttpResponse:
    """The second step of a sign-in."""
    if not mfa.code_outstanding(request):
        return redirect("dashboard")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.verify_code(request, request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        except AccountsError as exc:
            form.add_error("code", str(exc))
        else:
            return redirect(next_url or "dashboard")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
@require_POST
def mfa_policy(request: AimwellRequest) -> HttpResponse:
    membership = require(request.membership, Capability.MANAGE_MEMBERS)
    required = request.POST.get("require_mfa") == "on"
    mfa.set_policy(membership.organisation, require_mfa=required, actor=request.user)
    state = "now requires" if required else "no longer requires"
    messages.success(request, f"{membership.organisation.name} {state} two-factor sign-in.")
    return redirect("members")
