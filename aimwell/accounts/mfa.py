"""Two-factor sign-in with django-otp: a TOTP authenticator app plus single-use recovery codes.

A person enrols on their account's *Two-factor sign-in* page (QR code, then a code from the app to
confirm); they are shown ten recovery codes once. From then on a password sign-in is only half a
sign-in: every page sends them to enter a code until they do. An organisation may require two
factors of all its members: a member without them is sent to enrolment. The session remembers
which state it is in, so pages pay no extra query for it.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aimwell.accounts.errors import AccountsError
from aimwell.accounts.models import Membership, Organisation, User
from aimwell.core.audit import record_for

# The session's state: PENDING after a password sign-in of someone with two factors, until a code
# is entered; DONE once it was (or after a single sign-on, whose identity provider answers for
# the factors); absent for someone without two factors.
STATE_KEY = "aimwell_second_factor"
PENDING = "pending"
DONE = "done"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _record(user: User, action: str, actor: Any | None = None) -> None:
    """Two-factor changes are recorded in every organisation the person belongs to."""
    for org_id in Membership.objects.filter(user=user).values_list("organisation_id", flat=True):
        record_for(user, actor=actor or user, action=action, organisation_id=org_id)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def note_sign_in(request: HttpRequest, user: User) -> None:
    """After a password sign-in: a code is outstanding for people with two factors."""
    if has_second_factor(user):
        request.session[STATE_KEY] = PENDING
    else:
        request.session.pop(STATE_KEY, None)


def note_single_sign_on(request: HttpRequest) -> None:
    request.session[STATE_KEY] = DONE


def code_outstanding(request: HttpRequest) -> bool:
    return request.session.get(STATE_KEY) == PENDING


def enrolment_required(request: HttpRequest, organisation: Organisation | None) -> bool:
    """The organisation requires two factors and this session has not shown them."""
    return (
        organisation is not None
        and organisation.require_mfa
        and request.session.get(STATE_KEY) != DONE
    )


def pending_totp(user: User) -> TOTPDevice:
    """The unconfirmed authenticator of an enrolment in progress (a fresh secret if none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_enrolment(request: HttpRequest, user: User, code: str) -> list[str]:
    """Check the first code from the app, switch two factors on, and return the recovery codes
    (to show once). The session counts as verified."""
    if has_second_factor(user):
        raise AccountsError("Two-factor sign-in is already on.")
    device = pending_totp(user)
    if not device.verify_token(code.strip()):
        raise AccountsError("That code does not match. Check the app's clock and try again.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    request.session[STATE_KEY] = DONE
    _record(user, "user.mfa_enrolled")
    return codes


def _device_for(user: User, code: str) -> Device | None:
    """Six digits go to the authenticator; anything else is tried as a recovery code."""
    if code.isdigit() and len(code) == 6:
        return confirmed_totp(user)
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()


@transaction.atomic
def verify_code(request: HttpRequest, user: User, code: str) -> None:
    """Complete a sign-in with a code from the app or an unused recovery code (spent on use)."""
    code = code.strip().replace(" ", "").lower()
    device = _device_for(user, code)
    if device is None:
        raise AccountsError("That code is not valid.")
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise AccountsError("Too many wrong codes: wait a little before the next try.")
    if not device.verify_token(code):
        raise AccountsError("That code is not valid.")
    otp_login(request, device)
    request.session[STATE_KEY] = DONE
    if isinstance(device, StaticDevice):
        _record(user, "user.recovery_code_used")


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    if not has_second_factor(user):
        raise AccountsError("Switch two-factor sign-in on first.")
    codes = _new_recovery_codes(user)
    _record(user, "user.recovery_codes_renewed")
    return codes


def remaining_recovery_codes(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count())


@transaction.atomic
def disable(request: HttpRequest | None, user: User, *, actor: Any | None = None) -> None:
    """Remove the authenticator and the recovery codes (the person, or an operator's CLI)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if request is not None:
        request.session.pop(STATE_KEY, None)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
    _record(user, "user.mfa_disabled", actor=actor)


@transaction.atomic
def set_policy(organisation: Organisation, *, require_mfa: bool, actor: Any) -> Organisation:
    """Require (or stop requiring) two-factor sign-in of every member of the organisation."""
    if organisation.require_mfa != require_mfa:
        organisation.require_mfa = require_mfa
        organisation.save(update_fields=["require_mfa", "updated_at"])
        record_for(
            organisation,
            actor=actor,
            action="organisation.mfa_policy",
            changes={"require_mfa": [not require_mfa, require_mfa]},
        )
    return organisation
