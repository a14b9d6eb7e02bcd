"""Optimistic concurrency: no lost updates when two people change the same record.

Every record fetched through the access helper (`accounts.access.get_for_user`) has a version,
its ETag: a digest of its type, id and last change time (`updated_at`). A GET of one record
answers it in the `ETag` header; a PATCH, PUT, POST or DELETE that sends `If-Match` with it is
refused with 409 and the current version when someone changed the record in between, before
anything is written. A successful write answers the record's new ETag.

The check sits in the one helper every write fetches its record through, so each editable
endpoint honours it without code of its own; `EdgeConcurrencyMiddleware` carries the header in
and the ETag out."""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class VersionConflict(Exception):
    """The record changed since the version the writer read."""

    def __init__(self, current: str) -> None:
        super().__init__(
            "Someone changed this record after you read it. Reload it, apply your change to the "
            "current version and send again with its ETag in If-Match."
        )
        self.current = current


@dataclass
class _RequestState:
    if_match: str | None
    fetched: list[Any] = field(default_factory=list)
    written: Any = None  # the first record fetched to be changed: the one If-Match is about

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
    if state.if_match and current is not None and not _matches(state.if_match, current):
        raise VersionConflict(current)


def conflict_response(exc: VersionConflict) -> HttpResponse:
    import json

    response = HttpResponse(
        json.dumps({"message": str(exc), "current_version": exc.current}),
        status=409,
        content_type="application/json",
    )
    response["ETag"] = exc.current
    return response


class EdgeConcurrencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        method = (request.method or "GET").upper()
        if_match = request.headers.get("If-Match") if method in WRITE_METHODS else None
        state = _RequestState(if_match)
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
