"""Typed access to configuration from environment variables.

Every setting Aimwell reads comes through these helpers so that a missing or malformed value stops
start-up with a message naming the variable, instead of surfacing later as an obscure error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypedDict

from django.core.exceptions import ImproperlyConfigured

_UNSET = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines from a .env file into os.environ without overriding real variables."""
    if not path.is_file():
        return
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key.strip(), value)


def env_str(name: str, default: str | object = _UNSET) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _UNSET:
            raise ImproperlyConfigured(
                f"The environment variable {name} is required (see .env.example)."
            )
        return str(default)
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, min_length: int = 32) -> str:
    """A secret that must be present and long enough to be worth having."""
    value = env_str(name)
    if len(value) < min_length:
        raise ImproperlyConfigured(f"{name} must be at least {min_length} characters long.")
    return value


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return lowered


SMTP_SECURITY = ("starttls", "ssl", "none")
_SMTP_DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def from_address() -> str:
    """The sender of Aimwell's e-mail (AIMWELL_FROM_EMAIL)."""
    return env_str("AIMWELL_FROM_EMAIL", "aimwell@localhost")


class EmailSettings(TypedDict):
    EMAIL_BACKEND: str
    EMAIL_HOST: str
    EMAIL_PORT: int
    EMAIL_HOST_USER: str
    EMAIL_HOST_PASSWORD: str
    EMAIL_USE_TLS: bool
    EMAIL_USE_SSL: bool
    EMAIL_TIMEOUT: int
    DEFAULT_FROM_EMAIL: str
    SERVER_EMAIL: str


def email_settings() -> EmailSettings:
    """Django's email settings from AIMWELL_SMTP_* (and the from-address).

    With AIMWELL_SMTP_HOST set, mail goes out through that server (STARTTLS on 587 unless
    AIMWELL_SMTP_SECURITY says `ssl` (implicit TLS, 465) or `none`); without it, to the console.
    AIMWELL_EMAIL_BACKEND still overrides the backend (a file or in-memory backend, say)."""
    host = env_str("AIMWELL_SMTP_HOST", "")
    security = env_choice("AIMWELL_SMTP_SECURITY", SMTP_SECURITY, "starttls")
    user = env_str("AIMWELL_SMTP_USER", "")
    password = env_str("AIMWELL_SMTP_PASSWORD", "")
    if password and not user:
        raise ImproperlyConfigured("AIMWELL_SMTP_PASSWORD is set but AIMWELL_SMTP_USER is not.")
    port = env_int("AIMWELL_SMTP_PORT", _SMTP_DEFAULT_PORT[security])
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"AIMWELL_SMTP_PORT must be a TCP port, got {port}.")
    return {
        "EMAIL_BACKEND": env_str(
            "AIMWELL_EMAIL_BACKEND", SMTP_BACKEND if host else CONSOLE_BACKEND
        ),
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": security == "starttls",
        "EMAIL_USE_SSL": security == "ssl",
        "EMAIL_TIMEOUT": env_int("AIMWELL_SMTP_TIMEOUT_SECONDS", 20),
        "DEFAULT_FROM_EMAIL": from_address(),
        "SERVER_EMAIL": from_address(),
    }
