"""Optimistic concurrency: no lost updates when two people change the same record.

Every record fetched through the access helper (`accounts.access.get_for_user`) has a version,
its ETag: a digest of its type, id and last change time (`updated_at`). A GET of one record
answers it in the `ETag` header; a PATCH, PUT, POST or DELETE that sends `If-Match` with it is
refused with 409 and the current version when someone changed the record in between, before
anything is written. A successful write answers the record's new ETag.

Pages work the same way: an edit form carries the version of the record it shows in a hidden
`_version` field (rendered by the shared form-fields template from `form_version`, a context
processor), and a form sent after someone else saved the record is refused with 409 and a page
that says so and shows what was typed, so nothing is lost silently either way.

The check sits in the one helper every write fetches its record through, so each editable
endpoint and form honours it without code of its own; `EdgeConcurrencyMiddleware` carries the
header (or form field) in and the ETag out."""

from __future__ import annotations

import contextvars
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# A PATCH or PUT changes a record its sender read before, so it must say which version it read
# (If-Match; `*` to overwrite whatever is there). These PUTs set a value by its key instead
# (create or replace): there is no earlier version for their sender to have read.
UPSERT_ROUTES = re.compile(
    r"^/api/v1/("
    r"baseline/[^/]+"
    r"|readiness/overrides/[^/]+"
    r"|context/ai-roles/[^/]+"
    r"|legal-requirements/[^/]+/systems/[^/]+"
    r"|certification/project"
    r"|integrations/mlflow"
    r"|lifecycle/settings"
    r"|lifecycle/systems/[^/]+/(requirements|design|logging-policy|vv-plan)"
    r")$"
)


class VersionConflict(Exception):
    """The record changed since the version the writer read."""

    def __init__(self, current: str) -> None:
        super().__init__(
            "Someone changed this record after you read it. Reload it, apply your change to the "
            "current version and send again with its ETag in If-Match."
        )
        self.current = current


class VersionRequired(Exception):
    """A PATCH or PUT of a versioned record sent without saying which version it changes."""

    def __init__(self, current: str) -> None:
        super().__init__(
            "Say which version of the record you are changing: send the ETag of your last GET "
            "in If-Match (or If-Match: * to overwrite whatever is there)."
        )
        self.current = current


FORM_FIELD = "_version"


@dataclass
class _RequestState:
    header: str | None
    request: HttpRequest | None = None  # a page's form post: its version field is read lazily
    version_required: bool = False  # an API PATCH or PUT of a record read before
    fetched: list[Any] = field(default_factory=list)
    written: Any = None  # the first record fetched to be changed: the one If-Match is about

    @property
    def if_match(self) -> str | None:
        if self.request is not None:
            # Read only when a record is written: parsing the body is the view's business.
            return self.request.POST.get(FORM_FIELD) or None
        return self.header

    @property
    def primary(self) -> Any:
        return self.written if self.written is not None else self.fetched[0]


_state: contextvars.ContextVar[_RequestState | None] = contextvars.ContextVar(
    "aimwell_concurrency", default=None
)


def version_of(obj: Any) -> str | None:
    """The record's ETag, or None for a record without a change time."""
    changed = getattr(obj, "updated_at", None)
    if changed is None:
        return None
    text = f"{obj._meta.label_lower}:{obj.pk}:{changed.isoformat()}"
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:24] + '"'


def _matches(if_match: str, current: str) -> bool:
    wanted = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    return "*" in wanted or current in wanted


def fetched(obj: Any, *, write: bool) -> None:
    """Note a record the request reads; for a write, check the writer's version of it."""
    state = _state.get()
    if state is None:
        return
    state.fetched.append(obj)
    if not write or state.written is not None:
        return
    state.written = obj
    current = version_of(obj)
    wanted = state.if_match
    if current is not None and not wanted and state.version_required:
        raise VersionRequired(current)
    if wanted and current is not None and not _matches(wanted, current):
        raise VersionConflict(current)


def form_version(request: HttpRequest) -> dict[str, str]:
    """Context processor: the version an edit form carries, that of the record the page fetched
    to change (the one the form was opened with, when it is shown again after an error)."""
    state = _state.get()
    if state is None or state.written is None:
        return {"form_version": ""}
    return {"form_version": state.if_match or version_of(state.written) or ""}


def conflict_response(exc: VersionConflict | VersionRequired) -> HttpResponse:
    """409 for a stale version, 428 for a missing one; either way the current version."""
    import json

    response = HttpResponse(
        json.dumps({"message": str(exc), "current_version": exc.current}),
        status=409 if isinstance(exc, VersionConflict) else 428,
        content_type="application/json",
    )
    response["ETag"] = exc.current
    return response


class EdgeConcurrencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        method = (request.method or "GET").upper()
        if not request.path.startswith("/api/"):
            state = _RequestState(None, request if method == "POST" else None)
            token = _state.set(state)
            try:
                return self.get_response(request)
            finally:
                _state.reset(token)
        if_match = request.headers.get("If-Match") if method in WRITE_METHODS else None
        required = method in ("PATCH", "PUT") and not UPSERT_ROUTES.match(request.path)
        state = _RequestState(if_match, version_required=required)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.fetched and response.status_code < 300 and not response.has_header("ETag"):
            record = state.primary
            if method in WRITE_METHODS and method != "DELETE":
                record = type(record)._base_manager.filter(pk=record.pk).first()
            current = version_of(record) if record is not None else None
            if current is not None:
                response["ETag"] = current
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page's form sent against an older version: say so, show what was typed."""
        if not isinstance(exception, VersionConflict) or request.path.startswith("/api/"):
            return None
        from django.shortcuts import render

        typed = [
            (name, value)
            for name, values in request.POST.lists()
            for value in values
            if name not in (FORM_FIELD, "csrfmiddlewaretoken") and value.strip()
        ]
        return render(
            request,
            "conflict.html",
            {"typed": typed, "reload": request.get_full_path()},
            status=409,
        )
