"""How deliveries are signed, and the reference check a receiver makes (docs/integrations.md).

Header `Aimwell-Signature: t=<unix seconds>,v1=<hex>` where hex is HMAC-SHA256 with the endpoint's
secret over `<t>.<raw body>`. Signing the timestamp with the body lets a receiver refuse replays of
an old delivery (we suggest a five-minute tolerance)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "Aimwell-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105  (a label, not a secret)
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header_value(secret: str, body: bytes, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    return f"t={stamp},v1={signature(secret, stamp, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: int | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """True when the header signs this body with this secret, recently enough."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        stamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - stamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, stamp, body))
