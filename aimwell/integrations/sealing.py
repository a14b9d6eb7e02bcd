"""Secrets of integrations (webhook signing secrets, MLflow tokens) are kept sealed at rest:
Fernet (AES-128-CBC + HMAC-SHA256) under a key derived with HKDF from AIMWELL_INTEGRATIONS_KEY, or
from the audit key when that is unset. A database dump alone therefore reveals no secret."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from aimwell.integrations.errors import IntegrationError


def _fernet() -> Fernet:
    material = settings.AIMWELL_INTEGRATIONS_KEY or settings.AIMWELL_AUDIT_KEY
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"aimwell-integrations-secrets"
    ).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise IntegrationError(
            "A stored secret cannot be read: AIMWELL_INTEGRATIONS_KEY changed since it was "
            "saved. Set the secret again."
        ) from exc
