"""Benchmark: many concurrent API clients against a running Aimwell, as a team and its scripts
would load it, on SQLite (one waitress process, one worker) and on PostgreSQL (two app processes
under gunicorn and two queue workers on one database), side by side in one run.

Each backend gets a fresh database with the demo organisation, an API token of its AIMS manager
and a server on loopback. Then N clients (50 by default) run for D seconds (60 by default), each
in a loop with no pause: reads of the AI-system list, the risk register's first page, one risk
and the readiness score, and writes: new risks, and edits of a risk the client owns, sent with
the ETag it last read in If-Match (so no two clients race for one record and every edit must
land). After the run:

- errors: any answer outside the expected ones (5xx, refused connections, time-outs, or an
  unexpected 4xx);
- lost writes: risks created (201) but not in the register, and owned risks whose title is not
  the last one the client wrote;
- the audit chain: `aimwell audit verify` must exit 0.

    .venv/bin/python benchmarks/load.py [--clients 50] [--duration 60]
        [--backends sqlite,postgresql] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

At scale: `--database URL` runs the same phase against a database seeded before by
`benchmarks/scale.py --database URL --seed-only` (10,000 systems, 100,000 risks, 1,000,000
events, say) instead of a fresh demo: the backend is the URL's, the database is migrated and
kept (the clients' risks stay in it), the keys are the scale benchmark's (so the audit chain it
wrote verifies) and the token is minted for its AIMS manager:

    .venv/bin/python benchmarks/load.py --database sqlite:////path/scale.sqlite3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._measure import machine, save  # noqa: E402

BIN = Path(sys.executable).parent
AIMWELL = str(BIN / "aimwell")
MANAGER = "aims.manager@meridian.example"
TIMEOUT_S = 30
# (operation, weight): reads dominate, as they do in use.
MIX = (
    ("list_systems", 25),
    ("list_risks", 25),
    ("get_risk", 20),
    ("readiness", 5),
    ("create_risk", 10),
    ("edit_risk", 15),
)

MINT_SCRIPT = """
from aimwell.accounts import services
from aimwell.accounts.models import Membership
m = Membership.objects.select_related("user", "organisation").get(
    user__email={email!r}, organisation__slug={slug!r})
token, secret = services.create_api_token(m, name="load benchmark", expires_at=None, actor=m.user)
print(secret)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "AIMWELL_SECRET_KEY": "load-benchmark-" + "s" * 40,
            "AIMWELL_AUDIT_KEY": "load-benchmark-" + "a" * 40,
            "AIMWELL_ENV_FILE": "/nonexistent",
            "AIMWELL_DATA_DIR": data_dir,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "aimwell.settings",
            "AIMWELL_DEBUG": "false",
        }
    )
    return env


def _fresh_postgres(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _prepare(env: dict[str, str], *, demo: bool = True) -> str:
    """Migrate, load the demo (unless the database is a seeded one), and return an API token of
    its AIMS manager."""
    subprocess.run([AIMWELL, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    if demo:
        subprocess.run([AIMWELL, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        script = MINT_SCRIPT.format(email=MANAGER, slug="meridian-lending")
    else:
        from benchmarks.scale import EMAIL

        script = MINT_SCRIPT.format(email=EMAIL, slug="scale")
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _start(backend: str, env: dict[str, str], port: int) -> list[subprocess.Popen[bytes]]:
    """The application and its queue workers, as the deployment docs set them up."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if backend == "sqlite":
        app = [AIMWELL, "serve", "--port", str(port)]
        workers = 1
    else:
        app = [AIMWELL, "serve", "--port", str(port), "--processes", "2"]
        workers = 2
    procs = [subprocess.Popen(app, env=env, start_new_session=True, **quiet)]  # type: ignore[call-overload]
    for _ in range(workers):
        procs.append(
            subprocess.Popen(  # type: ignore[call-overload]
                [AIMWELL, "reminders", "worker"], env=env, start_new_session=True, **quiet
            )
        )
    return procs


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def _wait_ready(base: str, token: str) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(
                    f"{base}/api/v1/ai-systems", headers={"Authorization": f"Bearer {token}"}
                ) as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
    raise SystemExit(f"The server at {base} did not answer within 60 s.")


class Client:
    def __init__(self, number: int, base: str, token: str, session: aiohttp.ClientSession):
        self.number, self.base, self.session = number, base, session
        self.headers = {"Authorization": f"Bearer {token}"}
        self.random = random.Random(number)
        self.own_risk = ""
        self.own_etag = ""
        self.last_title = ""
        self.created: list[str] = []
        self.risk_ids: list[str] = []
        self.latencies: list[float] = []
        self.by_operation: dict[str, list[float]] = {}
        self.statuses: Counter[str] = Counter()
        self.errors: list[str] = []

    async def call(self, method: str, path: str, expected: tuple[int, ...], **kw: Any) -> Any:
        start = time.perf_counter()
        try:
            async with self.session.request(
                method, self.base + path, headers={**self.headers, **kw.pop("headers", {})}, **kw
            ) as r:
                body = await r.json(content_type=None) if r.status < 500 else None
                etag = r.headers.get("ETag", "")
                status = r.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.latencies.append(time.perf_counter() - start)
            self.statuses["connection error"] += 1
            self.errors.append(f"{method} {path}: {type(exc).__name__}")
            return None, ""
        self.latencies.append(time.perf_counter() - start)
        self.statuses[str(status)] += 1
        if status not in expected:
            self.errors.append(f"{method} {path}: {status} {str(body)[:200]}")
            return None, ""
        return body, etag

    async def setup(self) -> None:
        body, _ = await self.call("POST", "/api/v1/risks", (201,), json=self._new_risk("own"))
        if body:
            self.own_risk = body["id"]
            self.created.append(body["id"])
            _, self.own_etag = await self.call("GET", f"/api/v1/risks/{self.own_risk}", (200,))
        page, _ = await self.call("GET", "/api/v1/risks?limit=50", (200,))
        self.risk_ids = [item["id"] for item in (page or {}).get("items", [])] or [self.own_risk]

    def _new_risk(self, kind: str) -> dict[str, Any]:
        return {
            "title": f"Load client {self.number} {kind} risk {len(self.created)}",
            "custom_source": "Load benchmark",
            "consequences": {"individuals": {"rating": 1 + self.random.randrange(4)}},
            "likelihood": 1 + self.random.randrange(5),
        }

    async def step(self, operation: str) -> None:
        if operation == "list_systems":
            await self.call("GET", "/api/v1/ai-systems", (200,))
        elif operation == "list_risks":
            await self.call("GET", "/api/v1/risks", (200,))
        elif operation == "get_risk":
            await self.call("GET", f"/api/v1/risks/{self.random.choice(self.risk_ids)}", (200,))
        elif operation == "readiness":
            await self.call("GET", "/api/v1/readiness", (200,))
        elif operation == "create_risk":
            body, _ = await self.call("POST", "/api/v1/risks", (201,), json=self._new_risk("new"))
            if body:
                self.created.append(body["id"])
        elif operation == "edit_risk" and self.own_risk:
            title = f"Load client {self.number} edit {self.random.random():.12f}"
            body, etag = await self.call(
                "PATCH",
                f"/api/v1/risks/{self.own_risk}",
                (200,),
                json={"title": title},
                headers={"If-Match": self.own_etag},
            )
            if body:
                self.last_title, self.own_etag = title, etag

    async def run(self, until: float) -> None:
        operations = [name for name, weight in MIX for _ in range(weight)]
        while time.monotonic() < until:
            operation = self.random.choice(operations)
            start = time.perf_counter()
            await self.step(operation)
            self.by_operation.setdefault(operation, []).append(time.perf_counter() - start)


async def _load(base: str, token: str, clients: int, duration: float) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        crowd = [Client(i, base, token, session) for i in range(clients)]
        await asyncio.gather(*(c.setup() for c in crowd))
        for c in crowd:  # setup calls are not part of the measured window
            c.latencies.clear()
            c.statuses.clear()
            c.by_operation.clear()
        start = time.monotonic()
        await asyncio.gather(*(c.run(start + duration) for c in crowd))
        elapsed = time.monotonic() - start
        lost = await _lost_writes(crowd, session, base, token)
    latencies = sorted(x for c in crowd for x in c.latencies)
    statuses: Counter[str] = Counter()
    for c in crowd:
        statuses.update(c.statuses)
    errors = [e for c in crowd for e in c.errors]
    operations: dict[str, list[float]] = {}
    for c in crowd:
        for name, seconds in c.by_operation.items():
            operations.setdefault(name, []).extend(seconds)
    return {
        "by_operation": {
            name: {
                "count": len(seconds),
                "p50_ms": 1000 * statistics.median(seconds),
                "p95_ms": 1000 * sorted(seconds)[int(0.95 * (len(seconds) - 1))],
            }
            for name, seconds in sorted(operations.items())
        },
        "requests": len(latencies),
        "throughput_rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "statuses": dict(statuses),
        "errors": len(errors),
        "error_samples": errors[:10],
        "lost_writes": lost,
        "risks_created": sum(len(c.created) for c in crowd),
    }


async def _lost_writes(
    crowd: list[Client], session: aiohttp.ClientSession, base: str, token: str
) -> list[str]:
    """Every created risk must be readable; every owned risk must carry its last written title."""
    headers = {"Authorization": f"Bearer {token}"}
    lost = []
    for client in crowd:
        for risk_id in client.created:
            async with session.get(f"{base}/api/v1/risks/{risk_id}", headers=headers) as r:
                body = await r.json(content_type=None)
            if r.status != 200:
                lost.append(f"risk {risk_id} created by client {client.number} is gone")
            elif (
                risk_id == client.own_risk
                and client.last_title
                and body["title"] != client.last_title
            ):
                lost.append(f"client {client.number}'s last edit of {risk_id} was lost")
    return lost


def _verify(env: dict[str, str]) -> tuple[int, str]:
    """`aimwell audit verify`: its exit code and its last line."""
    out = subprocess.run(
        [AIMWELL, "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )
    lines = (out.stdout + out.stderr).strip().splitlines()
    return out.returncode, lines[-1] if lines else ""


def _backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix=f"aimwell-load-{backend}-")
    if args.database:
        from benchmarks.scale import _env as scale_env

        env = scale_env(args.database, data_dir)
        print(f"[{backend}] migrating the seeded database {args.database}…", flush=True)
        token = _prepare(env, demo=False)
    else:
        url = (
            f"sqlite:///{data_dir}/load.sqlite3"
            if backend == "sqlite"
            else _fresh_postgres(args.postgres, "aimwell_load_bench")
        )
        env = _env(url, data_dir)
        print(f"[{backend}] migrating and loading the demo…", flush=True)
        token = _prepare(env)
    port = _free_port()
    procs = _start(backend, env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(_wait_ready(base, token))
        print(f"[{backend}] {args.clients} clients for {args.duration:g} s…", flush=True)
        result = asyncio.run(_load(base, token, args.clients, args.duration))
    finally:
        _stop(procs)
    code, said = _verify(env)
    result.update(
        {
            "backend": backend,
            "setup": "1 waitress process (8 threads), 1 worker"
            if backend == "sqlite"
            else "2 app processes (gunicorn, 4 threads each), 2 workers",
            "audit_verify_exit": code,
            "audit_verify": said,
        }
    )
    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--database",
        default="",
        help="a database seeded by benchmarks/scale.py --seed-only (kept; its backend only)",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()
    if args.database:
        backends = ["sqlite" if args.database.startswith("sqlite") else "postgresql"]
    else:
        backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    results = [_backend(b, args) for b in backends]
    report = {
        "database": args.database or "fresh demo",
        "clients": args.clients,
        "duration_s": args.duration,
        "mix": dict(MIX),
        "results": results,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "machine": machine(),
    }
    path = save(f"load-{args.clients}-clients" + ("-scale" if args.database else ""), report)
    print(
        "\n| backend | setup | requests | throughput | p50 | p95 | p99 | errors | lost writes "
        "| audit verify |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        print(
            f"| {r['backend']} | {r['setup']} | {r['requests']:,} "
            f"| {r['throughput_rps']:.1f} req/s "
            f"| {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['p99_ms']:.0f} ms | {r['errors']} "
            f"| {len(r['lost_writes'])} | exit {r['audit_verify_exit']} |"
        )
        steps = ", ".join(
            f"{name} {o['count']} calls, p50 {o['p50_ms']:.0f} / p95 {o['p95_ms']:.0f} ms"
            for name, o in r["by_operation"].items()
        )
        print(f"    {r['backend']}: {steps}")
        for sample in r["error_samples"]:
            print(f"    error: {sample}")
        for sample in r["lost_writes"][:5]:
            print(f"    lost: {sample}")
    print(f"Load average before {load_before}, after {report['load_average_after']}. Saved {path}")


if __name__ == "__main__":
    main()
