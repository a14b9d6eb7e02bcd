"""HTTP security headers: a Content Security Policy without inline scripts everywhere, and in
production (AIMWELL_SECURE_COOKIES=true) HSTS and the HTTPS redirect; `check --deploy` is clean."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "aimwell"


def _production_env(tmp_path: Path, *, secure: bool) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "AIMWELL_ENV_FILE": str(tmp_path / "absent.env"),
        "AIMWELL_SECRET_KEY": secrets.token_urlsafe(50),
        "AIMWELL_AUDIT_KEY": secrets.token_urlsafe(50),
        "AIMWELL_DATA_DIR": str(tmp_path),
        "AIMWELL_ALLOWED_HOSTS": "aims.example.com",
        "AIMWELL_SECURE_COOKIES": "true" if secure else "false",
        "DJANGO_SETTINGS_MODULE": "aimwell.settings",
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    check = ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    clean = _run(check, _production_env(tmp_path, secure=True))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no issues" in clean.stdout
    # Served without TLS settings, the same check names what is missing: the test can fail.
    plain = _run(check, _production_env(tmp_path, secure=False))
    assert plain.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in plain.stdout + plain.stderr


PROBE = """
import django; django.setup()
from django.test import Client
client = Client(HTTP_HOST="aims.example.com")
plain = client.get("/signin/")
tls = client.get("/signin/", secure=True)
print(plain.status_code, plain.get("Location"))
print(tls.status_code, tls.get("Strict-Transport-Security"))
"""


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    result = _run(["-c", PROBE], _production_env(tmp_path, secure=True))
    assert result.returncode == 0, result.stderr
    redirect, served = result.stdout.strip().splitlines()
    assert redirect == "301 https://aims.example.com/signin/"
    assert served == "200 max-age=31536000; includeSubDomains; preload"


def test_pages_carry_a_csp_without_inline_scripts(db):
    response = Client().get("/signin/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["default-src"]
    assert directives["frame-ancestors"] == "'none'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for template in PACKAGE.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        # JSON data islands are data, not scripts; the policy does not run them either.
        text = re.sub(r'<script type="application/json"', "", text)
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []
