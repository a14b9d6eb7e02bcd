"""Which URLs Aimwell may call (webhook endpoints, MLflow servers).

Only http and https. Because these requests leave from the server, a URL whose host resolves to a
private, loopback, link-local, multicast or reserved address is refused (server-side request
forgery: a webhook pointed at 169.254.169.254 or an internal admin port), unless
AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS is true. The check runs when the URL is saved and
again before every request, so a host whose DNS later points inside is caught then too."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from aimwell.integrations.errors import IntegrationError


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise IntegrationError(f"The host {host} cannot be resolved.", field="url") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url(url: str, *, resolve: bool = True) -> str:
    """The URL, if Aimwell may call it; IntegrationError naming why not otherwise."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise IntegrationError("Only http:// and https:// URLs are allowed.", field="url")
    if not parts.hostname:
        raise IntegrationError("The URL has no host.", field="url")
    if parts.username or parts.password:
        raise IntegrationError("Put credentials in the token or secret, not the URL.", field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise IntegrationError("The URL's port is not valid.", field="url") from exc
    if not resolve or settings.AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS:
        return url
    blocked = [a for a in _addresses(parts.hostname, port) if not _is_public(a)]
    if blocked:
        raise IntegrationError(
            f"{parts.hostname} points to a private or local address ({blocked[0]}); such targets "
            "are refused unless AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS is set.",
            field="url",
        )
    return url
