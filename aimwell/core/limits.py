"""Limits at the edge, before any view reads the request: an oversized body is refused with 413
and pagination parameters out of bounds with 400, as JSON on the API, instead of a server error
deep inside a handler (a 30 MB JSON body, `?offset=10**30`).

A NUL character (\\x00) is refused wherever text comes in: PostgreSQL cannot store it in text (the
write fails with a database error), and no person types it. Pages are checked here (the address,
its query and every posted field, which covers the views that read posted values without a
form); the API checks its declared inputs in `aimwell.api_input` (422 naming the field), and the
file imports check each cell or value as they read it, all through `nul_paths`.

File uploads (multipart forms and raw bodies such as prediction logs) are not measured here:
their endpoints stream the file to disk and stop at their own, larger limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

# Bodies read whole into memory by the handlers (JSON payloads and plain forms).
MEASURED_TYPES = ("application/json", "application/x-www-form-urlencoded")
# Query parameters that position or size a page of results, with their largest sensible value.
PAGINATION_BOUNDS = {
    "offset": 10_000_000,
    "page": 1_000_000,
    "limit": 1_000,
    "page_size": 1_000,
    "per_page": 1_000,
}


NUL = "\x00"
NUL_MESSAGE = "Holds a NUL character (\\x00), which text cannot hold; remove it."


def nul_paths(value: Any, where: str = "") -> list[str]:
    """Where the texts inside `value` (a string, or dicts and lists of them, keys included) hold a
    NUL character: dotted paths from `where` ("" for the value itself)."""
    if isinstance(value, str):
        return [where] if NUL in value else []
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return []
    found: list[str] = []
    for key, item in items:
        inner = f"{where}.{key}" if where else str(key)
        if isinstance(key, str) and NUL in key:
            found.append(inner.replace(NUL, r"\x00"))  # the name itself, shown readably
        else:
            found += nul_paths(item, inner)
    return found


def nul_fields(data: QueryDict) -> list[str]:
    """The names of the query or form fields whose name or any value holds a NUL character,
    shown readably."""
    return [
        name.replace(NUL, r"\x00") for name, values in data.lists() if nul_paths([name, *values])
    ]


def nul_refusal(request: HttpRequest) -> HttpResponse | None:
    """A page request whose address, query or posted fields hold a NUL character: 400 naming
    the field."""
    if NUL in request.path:
        return _text(400, "The address holds a NUL character (\\x00); remove it.")
    sources = [request.GET]
    content_type = request.META.get("CONTENT_TYPE", "").lower()
    if request.method == "POST" and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sources.append(request.POST)
    for source in sources:
        for name in nul_fields(source):
            return _text(
                400,
                f"The field “{name}” holds a NUL character (\\x00), which text cannot hold; "
                "remove it and send again.",
            )
    return None


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _json(status: int, message: str, field: str | None = None) -> HttpResponse:
    body: dict[str, object] = {"message": message}
    if field is not None:
        body["errors"] = [{"field": field, "message": message}]
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def body_refusal(request: HttpRequest) -> HttpResponse | None:
    content_type = request.META.get("CONTENT_TYPE", "").lower()
    if not content_type.startswith(MEASURED_TYPES):
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _json(400, "The Content-Length header is not a number.")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return _json(
            413,
            f"The request body is {length:,} bytes; the limit is {limit:,} bytes. "
            "Send less data per request (files go through their upload endpoints).",
        )
    return None


def pagination_refusal(request: HttpRequest) -> HttpResponse | None:
    for name, bound in PAGINATION_BOUNDS.items():
        raw = request.GET.get(name)
        if raw is None or raw == "":
            continue
        try:
            value = int(raw)
        except ValueError:
            return _json(400, f"{name} must be a whole number.", name)
        lowest = 1 if name in ("page", "limit", "page_size", "per_page") else 0
        if not lowest <= value <= bound:
            return _json(400, f"{name} must be between {lowest} and {bound:,}.", name)
    return None


class EdgeLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            refusal = body_refusal(request) or pagination_refusal(request)
        else:
            refusal = nul_refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)
