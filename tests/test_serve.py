"""`aimwell serve`, as an operator starts it: several app processes on PostgreSQL answer the API
(the load benchmark's production setup), and SQLite refuses several processes with a message."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

AIMWELL = str(Path(sys.executable).parent / "aimwell")


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "AIMWELL_SECRET_KEY": "serve-test-" + "s" * 40,
        "AIMWELL_AUDIT_KEY": "serve-test-" + "a" * 40,
        "AIMWELL_ENV_FILE": "/nonexistent",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "aimwell.settings",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_several_processes_need_postgresql(tmp_path):
    result = subprocess.run(
        [AIMWELL, "serve", "--processes", "2", "--port", str(_free_port())],
        env=_env(f"sqlite:///{tmp_path}/db.sqlite3"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Several processes need PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_app_processes_answer_the_api_on_postgresql():
    from aimwell.accounts import services

    org = services.create_organisation(name="Served", slug="served", actor="test")
    member = services.add_member(org, email="ops@served.example", role="aims_manager", actor="t")
    _, secret = services.create_api_token(member, name="t", expires_at=None, actor=member.user)
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    port = _free_port()
    server = subprocess.Popen(
        [AIMWELL, "serve", "--processes", "2", "--threads", "2", "--port", str(port)],
        env=_env(url),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/ai-systems",
            headers={"Authorization": f"Bearer {secret}"},
        )
        deadline, status = time.monotonic() + 90, None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
                    status = response.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert len(_children(server.pid)) == 2  # the gunicorn master and its two processes
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
