"""Benchmark: verify a 1M-event audit chain on SQLite and PostgreSQL.

Writes N chained events for one organisation (batched inserts, MACs computed exactly as the app
does), then times `aimwell audit verify` as a separate process and reads its peak memory. Beside
it, the floor: computing the same HMACs over the same bytes in a tight loop in one process.

    .venv/bin/python benchmarks/audit_verify.py [--events 1000000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20_000


def _setup(database_url: str, env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "aimwell.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _write(n: int) -> tuple[float, list[bytes]]:
    from aimwell.accounts import services
    from aimwell.core import audit
    from aimwell.core.models import AuditChainHead, AuditEvent

    org = services.create_organisation(
        name="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}", actor="bench"
    )
    key = audit._key()
    org_id = org.id.hex
    start = time.perf_counter()
    prev = AuditChainHead.objects.get(organisation=org).mac
    seq0 = AuditChainHead.objects.get(organisation=org).seq
    now = dt.datetime.now(dt.UTC)
    messages: list[bytes] = []
    batch: list[AuditEvent] = []
    for i in range(1, n + 1):
        seq = seq0 + i
        row = (
            seq,
            now + dt.timedelta(microseconds=i),
            None,
            "bench",
            "bench.write",
            "bench.thing",
            str(i),
            f"thing {i}",
            f'{{"value":[null,{i}]}}',
            prev,
        )
        mac = audit._event_mac(key, org_id, row)
        batch.append(
            AuditEvent(
                organisation_id=org.id,
                seq=seq,
                occurred_at=row[1],
                actor_label="bench",
                action="bench.write",
                object_type="bench.thing",
                object_id=str(i),
                object_repr=f"thing {i}",
                changes=row[8],
                prev_mac=prev,
                mac=mac,
            )
        )
        if i <= 200_000:
            messages.append(
                "\x1f".join(
                    (
                        prev,
                        str(seq),
                        org_id,
                        row[1].isoformat(),
                        "",
                        "bench",
                        "bench.write",
                        "bench.thing",
                        str(i),
                        f"thing {i}",
                        row[8],
                    )
                ).encode()
            )
        prev = mac
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_create(batch)
            batch.clear()
    if batch:
        AuditEvent.objects.bulk_create(batch)
    AuditChainHead.objects.filter(organisation=org).update(
        seq=seq0 + n, mac=prev, checkpoint_mac=audit._checkpoint_mac(key, org_id, seq0 + n, prev)
    )
    return time.perf_counter() - start, messages


def _floor(messages: list[bytes], n: int) -> float:
    """HMAC-SHA256 over the same bytes, in a tight loop, scaled to n events."""
    import hmac

    key = secrets.token_bytes(32)
    start = time.perf_counter()
    for message in messages:
        hmac.digest(key, message, "sha256")
    return (time.perf_counter() - start) * n / len(messages)


def _verify(database_url: str, env: dict[str, str]) -> tuple[float, float, str]:
    child_env = {**os.environ, **env, "DATABASE_URL": database_url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/aimwell"), "audit", "verify"],
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        sys.exit(f"verify failed: {done.stdout}{done.stderr}")
    return elapsed, max(peak, before) / 1024, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    args = parser.parse_args()
    env = {
        "AIMWELL_SECRET_KEY": "b" * 50,
        "AIMWELL_AUDIT_KEY": "k" * 50,
        "AIMWELL_ENV_FILE": "/nonexistent",
    }
    tmp = tempfile.mkdtemp(prefix="aimwell-bench-")
    env["AIMWELL_DATA_DIR"] = tmp
    if args.backend == "sqlite":
        url = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        import psycopg

        name = f"aimwell_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = args.postgres.rsplit("/", 1)[0] + "/" + name
    _setup(url, env)
    write_s, messages = _write(args.events)
    floor_s = _floor(messages, args.events)
    verify_s, peak_mib, last_line = _verify(url, env)
    print(
        f"| {args.backend} | {args.events:,} | {write_s:.1f} s | {verify_s:.2f} s | "
        f"{peak_mib:.0f} MiB | {floor_s:.2f} s | {verify_s / floor_s:.1f}x |"
    )
    print(f"  ({last_line})", file=sys.stderr)
    if args.backend == "postgres":
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}"')


if __name__ == "__main__":
    main()
