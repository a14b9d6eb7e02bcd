"""The API's answer to a refused life-cycle or change step: 403 when the actor may not take it,
400 when the rules do not allow it (shared by the life-cycle and change-control endpoints)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from ninja.errors import HttpError

from aimwell.lifecycle.errors import LifecycleError, NotAuthorised

T = TypeVar("T")


def guard(call: Callable[[], T]) -> T:
    try:
        return call()
    except NotAuthorised as exc:
        raise PermissionDenied(str(exc)) from exc
    except LifecycleError as exc:
        raise HttpError(400, str(exc)) from exc
