"""Every sign-in (password, test client, single sign-on) sets the session's second-factor state."""

from __future__ import annotations

from typing import Any

from aimwell.accounts import mfa
from aimwell.accounts.request import AimwellRequest


def note_sign_in(sender: Any, request: AimwellRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mfa.note_sign_in(request, user)
