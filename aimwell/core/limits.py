"""Limits at the edge, before any view reads the request: an oversized body is refused with 413
and pagination parameters out of bounds with 400, as JSON on the API, instead of a server error
deep inside a handler (a 30 MB JSON body, `?offset=10**30`).

File uploads (multipart forms and raw bodies such as prediction logs) are not measured here:
their endpoints stream the file to disk and stop at their own, larger limits."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
            if refusal is not None:
                return refusal
        return self.get_response(request)
