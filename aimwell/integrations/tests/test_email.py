"""E-mail through a real SMTP server on loopback (aiosmtpd, STARTTLS and AUTH), configured only
from the AIMWELL_SMTP_* environment variables, carrying a reminder from the daily reminders."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from aimwell.config import email_settings
from aimwell.incidents.services import record_incident
from aimwell.integrations.tests.servers import free_port
from aimwell.notifications.reminders import send_reminders

USER, PASSWORD = "aimwell-mailer", "correct horse battery staple"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, to be trusted through SSL_CERT_FILE."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": message_from_bytes(envelope.content),
                "login": session.auth_data if session.authenticated else None,
                "tls": session.ssl is not None,
            }
        )
        return "250 Message accepted for delivery"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, auth_data=USER if ok else None)


@pytest.fixture
def smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts our certificate
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()


def _environment(monkeypatch: pytest.MonkeyPatch, port: int, **extra: str) -> None:
    values = {
        "AIMWELL_SMTP_HOST": "127.0.0.1",
        "AIMWELL_SMTP_PORT": str(port),
        "AIMWELL_SMTP_USER": USER,
        "AIMWELL_SMTP_PASSWORD": PASSWORD,
        "AIMWELL_SMTP_SECURITY": "starttls",
        "AIMWELL_FROM_EMAIL": "aims@meridian.example",
        **extra,
    }
    monkeypatch.delenv("AIMWELL_EMAIL_BACKEND", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


@pytest.mark.django_db
def test_a_reminder_reaches_a_real_smtp_server_over_starttls_with_login(
    org, manager, smtp_server, monkeypatch
):
    port, mailbox = smtp_server
    _environment(monkeypatch, port)
    record_incident(
        org,
        actor=manager.user,
        title="Applicants wrongly refused",
        description="A scoring fault refused eligible applicants.",
        severity="high",
        owner=manager.user,
        is_serious=True,
        serious_kind="health",
        aware_on=dt.date(2026, 3, 2),
    )
    with override_settings(**email_settings()):
        report = send_reminders(dt.date(2026, 3, 18), organisation=org)
    assert report.emails == 1
    [mail] = mailbox.messages
    assert mail["tls"] is True and mail["login"] == USER
    assert mail["from"] == "aims@meridian.example"
    assert mail["to"] == [manager.user.email]
    assert mail["message"]["Subject"] == "Aimwell: 1 item(s) due or overdue"
    assert "overdue by 1 day" in mail["message"].get_payload()


@pytest.mark.django_db
def test_a_wrong_password_is_an_error_and_nothing_is_delivered(
    org, manager, smtp_server, monkeypatch
):
    from django.core.mail import send_mail

    port, mailbox = smtp_server
    _environment(monkeypatch, port, AIMWELL_SMTP_PASSWORD="wrong", AIMWELL_SMTP_TIMEOUT_SECONDS="3")
    # smtplib raises SMTPAuthenticationError or, when the server ends the exchange after the
    # refused login, SMTPServerDisconnected: both are OSErrors, as every SMTP failure is.
    with override_settings(**email_settings()), pytest.raises(OSError):
        send_mail("s", "b", None, [manager.user.email])
    assert mailbox.messages == []


def test_the_smtp_variables_map_to_django_settings(monkeypatch):
    monkeypatch.delenv("AIMWELL_EMAIL_BACKEND", raising=False)
    for name in ("AIMWELL_SMTP_HOST", "AIMWELL_SMTP_PORT", "AIMWELL_SMTP_SECURITY"):
        monkeypatch.delenv(name, raising=False)
    assert email_settings()["EMAIL_BACKEND"].endswith("console.EmailBackend")
    monkeypatch.setenv("AIMWELL_SMTP_HOST", "smtp.example.com")
    values = email_settings()
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (values["EMAIL_PORT"], values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (
        587,
        True,
        False,
    )
    monkeypatch.setenv("AIMWELL_SMTP_SECURITY", "ssl")
    values = email_settings()
    assert (values["EMAIL_PORT"], values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (
        465,
        False,
        True,
    )
    monkeypatch.setenv("AIMWELL_SMTP_SECURITY", "tls1.3")
    with pytest.raises(ImproperlyConfigured, match="AIMWELL_SMTP_SECURITY must be one of"):
        email_settings()
    monkeypatch.setenv("AIMWELL_SMTP_SECURITY", "none")
    monkeypatch.setenv("AIMWELL_SMTP_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="AIMWELL_SMTP_PORT"):
        email_settings()
