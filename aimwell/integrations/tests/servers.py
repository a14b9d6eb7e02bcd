"""Real servers the integration tests talk to, on loopback: an MLflow tracking server (SQLite
backend store, local artifact folder), an HTTP receiver that checks webhook signatures, and an
SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MLFLOW_START_TIMEOUT = float(os.environ.get("AIMWELL_TEST_MLFLOW_TIMEOUT", "300"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def mlflow_server(folder: Path) -> Iterator[str]:
    """`mlflow server` on 127.0.0.1 and a free port; its URL once /health answers.

    Start-up imports a lot and creates the schema: on a busy machine it takes a minute, so the
    wait is bounded by AIMWELL_TEST_MLFLOW_TIMEOUT (300 s) and a server that does not come up
    fails the test with the end of its log."""
    port = free_port()
    log_path = folder / "mlflow-server.log"
    command = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--backend-store-uri",
        f"sqlite:///{folder / 'mlflow.db'}",
        "--default-artifact-root",
        (folder / "artifacts").as_uri(),
        "--workers",
        "1",
    ]
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True
        )
        try:
            deadline = time.monotonic() + MLFLOW_START_TIMEOUT
            while True:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"mlflow server exited with {process.returncode}:\n"
                        + log_path.read_text(errors="replace")[-3000:]
                    )
                try:
                    with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:  # noqa: S310
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"mlflow server did not answer on {url} within {MLFLOW_START_TIMEOUT:.0f}"
                        " s (AIMWELL_TEST_MLFLOW_TIMEOUT):\n"
                        + log_path.read_text(errors="replace")[-3000:]
                    )
                time.sleep(0.5)
            yield url
        finally:
            # The server runs its workers as child processes: end the whole process group.
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool


@dataclass
class Receiver:
    """What the loopback receiver got, and how it should answer the next requests."""

    url: str
    secret: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.received]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    """An HTTP server in a thread that checks each delivery's signature the way our docs tell a
    receiver to: HMAC-SHA256 of `<t>.<body>` with the secret, compared in constant time, and a
    timestamp no older than five minutes. It answers with the queued statuses, then 204."""
    port = free_port()
    state = Receiver(url=f"http://127.0.0.1:{port}/hooks/aimwell")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            header = self.headers.get("Aimwell-Signature", "")
            parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
            expected = hmac.new(
                state.secret.encode(), parts.get("t", "").encode() + b"." + body, hashlib.sha256
            ).hexdigest()
            fresh = abs(time.time() - int(parts.get("t", "0"))) <= 300
            ok = fresh and hmac.compare_digest(expected, parts.get("v1", ""))
            state.received.append(Received(dict(self.headers), body, ok))
            status = state.answers.pop(0) if state.answers else 204
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
