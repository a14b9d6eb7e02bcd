"""The one way integrations call out over HTTP: the target checked first (`targets`), no proxy
from the environment, no redirects followed (a redirect could lead inside), a timeout, and a
bounded read of the answer."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from aimwell.integrations.targets import check_url

MAX_ANSWER_BYTES = 8 * 1024 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


@dataclass
class Answer:
    status: int
    body: bytes


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    timeout: float = 10,
    limit: int = MAX_ANSWER_BYTES,
) -> Answer:
    """Send one request; HTTP error statuses come back as answers, network failures raise
    OSError (URLError, timeouts, refused connections)."""
    check_url(url)
    prepared = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with _OPENER.open(prepared, timeout=timeout) as response:
            return Answer(response.status, response.read(limit))
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(exc.code, exc.read(limit) if exc.fp else b"")
