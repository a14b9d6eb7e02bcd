"""Benchmark: every hot list, page, detail and export at scale, over HTTP.

Seeds one organisation in a fresh database (SQLite file, or a new PostgreSQL database with
--postgres URL) with N AI systems (a model and a dataset each), 10 risks per system (each
selecting one or two Annex A controls, every fifth with a treatment action), and audit events,
then starts `aimwell serve` (waitress) on loopback and times each request: one warm-up, then
--requests sequential requests, p50 and p95 in milliseconds, the bytes of the answer, and the
queries it made (counted once more in process with Django's test client, same database).
The load average is printed beside the figures: on a shared machine it says how far to trust them.

Seeding goes through the product's bulk paths where they exist and straight to the tables
where the services would take hours (documented in benchmarks/README.md):
- the organisation, its AIMS manager, the risk method and the API token: services;
- systems, models, datasets, risks, their assessments, control selections and actions:
  `bulk_create` of the models (references and their numbers as the counter would allocate
  them, and the counter set after them, so new risks continue the sequence);
- audit events: `aimwell.core.audit.record_events`, the audited bulk path (one lock of the
  chain head per batch, MACs chained as for any write), so `aimwell audit verify` passes.

    .venv/bin/python benchmarks/scale.py [--systems 1000] [--events 100000] [--requests 20]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--only risks,soa]

Seeding 10,000 systems on PostgreSQL takes a long time; to seed once and time later (after a
code change, say), name a database you created and keep it:

    .venv/bin/python benchmarks/scale.py --database postgres://.../scale_db --systems 10000 \
        --events 1000000 --seed-only
    .venv/bin/python benchmarks/scale.py --database postgres://.../scale_db --systems 10000 \
        --events 1000000 --no-seed          # migrates, then times (a new API token is made)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AIMWELL = str(Path(sys.executable).parent / "aimwell")
PASSWORD = "bench-password-123"  # noqa: S105 (a throwaway benchmark database)
EMAIL = "manager@scale.example"
RISKS_PER_SYSTEM = 10
LAST_MIN = [0.0]  # the fastest of the last timed series (for the side-by-side table)
# CISO Assistant's requests nearest to ours (its REST API, knox token), and the row of ours each
# is set beside: a page of 10 risk scenarios against our register (API page of 25, and the page).
CISO_REQUESTS = (
    ("risk scenarios, page of 10", "/api/risk-scenarios/?limit=10", "API risks, default page"),
    ("risk scenarios, page of 10", "/api/risk-scenarios/?limit=10", "risk register page"),
    ("one risk scenario", "/api/risk-scenarios/{first}/", "risk detail page"),
    ("applied controls, page of 10", "/api/applied-controls/?limit=10", "API SoA"),
)


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "AIMWELL_SECRET_KEY": "scale-benchmark-" + "s" * 40,
        "AIMWELL_AUDIT_KEY": "scale-benchmark-" + "a" * 40,
        "AIMWELL_ENV_FILE": "/nonexistent",
        "AIMWELL_DATA_DIR": data_dir,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "aimwell.settings",
        "AIMWELL_DEBUG": "false",
        "AIMWELL_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }


def _fresh_database(admin_url: str) -> str:
    import psycopg

    name = f"aimwell_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _drop_database(admin_url: str, url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def seed(n_systems: int, n_events: int) -> dict[str, Any]:
    """The organisation at scale; returns what the requests need (ids, token)."""
    from aimwell.accounts import services as accounts
    from aimwell.catalog.models import RequirementNode
    from aimwell.catalog.services import load_builtin_catalog
    from aimwell.core import audit
    from aimwell.core.models import ReferenceCounter
    from aimwell.inventory.models import AIModel, AISystem, Dataset
    from aimwell.risks.models import Risk, RiskAssessment, SelectedControl, TreatmentAction
    from aimwell.risks.services import method as methods

    load_builtin_catalog()
    org = accounts.create_organisation(name="Scale Ltd", slug="scale", actor="bench")
    member = accounts.add_member(
        org, email=EMAIL, role="aims_manager", password=PASSWORD, actor="bench"
    )
    user = member.user
    method = methods.publish_method(org, actor="bench")
    _, token = accounts.create_api_token(member, name="bench", expires_at=None, actor=user)
    rng = random.Random(42)
    stages = ["idea", "design", "development", "validation", "deployed", "retired"]
    models = [
        AIModel(organisation=org, name=f"model {i}", version="1", origin="in_house")
        for i in range(n_systems)
    ]
    datasets = [Dataset(organisation=org, name=f"dataset {i}") for i in range(n_systems)]
    systems = [
        AISystem(
            organisation=org,
            name=f"System {i:05d}",
            purpose=f"Purpose {i}",
            owner=user,
            lifecycle_stage=stages[i % 6],
            business_unit=f"Unit {i % 12}",
            in_scope=i % 10 != 0,
        )
        for i in range(n_systems)
    ]
    for rows in (models, datasets, systems):
        type(rows[0]).objects.bulk_create(rows, batch_size=2000)
    through_m, through_d = AISystem.models_used.through, AISystem.datasets.through
    through_m.objects.bulk_create(
        [
            through_m(aisystem_id=s.pk, aimodel_id=m.pk)
            for s, m in zip(systems, models, strict=True)
        ],
        batch_size=5000,
    )
    through_d.objects.bulk_create(
        [
            through_d(aisystem_id=s.pk, dataset_id=d.pk)
            for s, d in zip(systems, datasets, strict=True)
        ],
        batch_size=5000,
    )
    controls = list(
        RequirementNode.objects.filter(
            framework__urn="iso42001:2023", framework__organisation__isnull=True, kind="control"
        ).values_list("pk", flat=True)
    )
    today = dt.date.today()
    statuses = ["identified", "in_treatment", "treated", "accepted", "closed"]
    number = 0
    for start in range(0, n_systems, 500):
        risks, assessments, selections, actions = [], [], [], []
        for system in systems[start : start + 500]:
            for _ in range(RISKS_PER_SYSTEM):
                number += 1
                likelihood, consequence = rng.randint(1, 5), rng.randint(1, 5)
                risk = Risk(
                    organisation=org,
                    reference=f"R-{number:03d}",
                    sequence=number,
                    title=f"Risk {number} of {system.name}",
                    description=f"How {system.name} could fail, case {number}.",
                    system=system,
                    custom_source="Model error",
                    method=method,
                    consequences={"individuals": {"rating": consequence, "description": ""}},
                    inherent_likelihood=likelihood,
                    inherent_consequence=consequence,
                    inherent_level=method.level(likelihood, consequence),
                    owner=user,
                    review_date=today + dt.timedelta(days=rng.randint(-60, 300)),
                    status=statuses[number % 5],
                    treatment_option="modify" if number % 2 else "",
                )
                risks.append(risk)
                assessments.append(
                    RiskAssessment(
                        organisation=org,
                        risk=risk,
                        kind="inherent",
                        method=method,
                        likelihood=likelihood,
                        consequence=consequence,
                        level=risk.inherent_level,
                        ratings=risk.consequences,
                        assessed_by_label="bench",
                    )
                )
                for node in rng.sample(controls, 2 if number % 3 == 0 else 1):
                    selections.append(SelectedControl(organisation=org, risk=risk, node_id=node))
                if number % 5 == 0:
                    actions.append(
                        TreatmentAction(
                            organisation=org,
                            risk=risk,
                            title=f"Action for R-{number:03d}",
                            due_date=today + dt.timedelta(days=rng.randint(-30, 90)),
                        )
                    )
        Risk.objects.bulk_create(risks, batch_size=2000)
        for rows in (assessments, selections, actions):
            type(rows[0]).objects.bulk_create(rows, batch_size=2000)
    ReferenceCounter.objects.update_or_create(
        organisation=org, kind="risks.risk:R", defaults={"last": number}
    )
    for start in range(0, n_events, 10_000):
        audit.record_events(
            organisation_id=org.pk,
            actor="bench",
            events=[
                audit.PendingEvent(
                    action="risk.updated",
                    object_type="risks.risk",
                    object_id=str(i),
                    object_repr=f"R-{i}",
                    changes={"title": ["before", "after"]},
                )
                for i in range(start, min(start + 10_000, n_events))
            ],
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after such a load
    return {
        "org": org,
        "token": token,
        "system": systems[len(systems) // 2].pk,
        "risk": Risk.objects.filter(organisation=org, sequence=number // 2).values_list(
            "pk", flat=True
        )[0],
        "risks": number,
    }


def existing(n_events: int) -> dict[str, Any]:
    """What the requests need from a database seeded by an earlier run (--no-seed)."""
    from aimwell.accounts import services as accounts
    from aimwell.accounts.models import Membership, Organisation
    from aimwell.inventory.models import AISystem
    from aimwell.risks.models import Risk

    org = Organisation.objects.get(slug="scale")
    member = Membership.objects.get(organisation=org, user__email=EMAIL)
    _, token = accounts.create_api_token(member, name="bench", expires_at=None, actor=member.user)
    systems = AISystem.objects.filter(organisation=org).order_by("pk")
    system = systems.values_list("pk", flat=True)[systems.count() // 2]
    number = Risk.objects.filter(organisation=org, reference__startswith="R-").count()
    del n_events
    return {
        "org": org,
        "token": token,
        "system": system,
        "risk": Risk.objects.filter(organisation=org, sequence=number // 2).values_list(
            "pk", flat=True
        )[0],
        "risks": number,
    }


def requests_to_time(ids: dict[str, Any], n_events: int) -> list[tuple[str, str, str]]:
    """(label, kind, path): kind is "api" (token) or "page" (session)."""
    deep = max(n_events - 100, 0)
    return [
        ("API risks, default page", "api", "/api/v1/risks"),
        ("API risks, sorted by level", "api", "/api/v1/risks?sort=-level"),
        ("API risks, page 1000", "api", "/api/v1/risks?page=1000"),
        ("API risks, search q=", "api", "/api/v1/risks?q=System%2000042"),
        ("risk register page", "page", "/risks/"),
        ("risk detail page", "page", f"/risks/{ids['risk']}/"),
        ("API SoA", "api", "/api/v1/soa"),
        ("SoA page", "page", "/soa/"),
        ("API AI systems, default page", "api", "/api/v1/ai-systems"),
        ("AI systems page", "page", "/ai-systems/"),
        ("system detail page", "page", f"/ai-systems/{ids['system']}/"),
        ("API audit events, first page", "api", "/api/v1/audit-events"),
        ("API audit events, offset near the end", "api", f"/api/v1/audit-events?offset={deep}"),
        ("API audit events, keyset near the end", "api", "/api/v1/audit-events?before=150"),
        ("API readiness", "api", "/api/v1/readiness"),
        ("readiness page", "page", "/readiness/"),
        ("risks export CSV (all)", "page", "/risks/export/?format=csv"),
        ("systems export CSV (all)", "page", "/ai-systems/export/?format=csv"),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    import requests

    port = _free_port()
    server = subprocess.Popen(
        [AIMWELL, "serve", "--port", str(port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(base + "/", timeout=30)
            return server, base
        except requests.RequestException:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("aimwell serve did not start")


def _session(base: str) -> Any:
    import requests

    session = requests.Session()
    page = session.get(base + "/signin/")
    session.post(
        base + "/signin/",
        data={
            "username": EMAIL,
            "password": PASSWORD,
            "csrfmiddlewaretoken": page.cookies.get("csrftoken") or session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/signin/"},
    )
    if "sessionid" not in session.cookies:
        raise SystemExit("could not sign in")
    return session


def _queries(kind: str, path: str, token: str, user: Any) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if kind == "page":
        client.force_login(user)
        headers = {}
    else:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.get(path, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = b"".join(client.get(path, **headers))
    del response
    return len(ctx.captured_queries)


def _time(session: Any, url: str, headers: dict[str, str], n: int) -> tuple[float, float, int]:
    response = session.get(url, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.text[:300]}")
    timings = []
    size = len(response.content)
    for _ in range(n):
        start = time.perf_counter()
        response = session.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        size = len(response.content)
    timings.sort()
    LAST_MIN[0] = timings[0]
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], size


def _peak_mib(pid: int) -> float:
    """The server's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _create_risk(session: Any, base: str, token: str, n: int) -> tuple[float, float]:
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "title": "Created by the benchmark",
        "custom_source": "Model error",
        "likelihood": 2,
        "consequences": {"individuals": {"rating": 3}},
    }
    timings = []
    for _ in range(n + 1):
        start = time.perf_counter()
        response = session.post(base + "/api/v1/risks", json=body, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 201:
            raise SystemExit(f"create risk: {response.status_code} {response.text[:300]}")
    timings = sorted(timings[1:])
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def _readiness_afresh(session: Any, base: str, token: str, n: int) -> tuple[float, float]:
    """The readiness API right after a write (a new risk, untimed), so it is computed afresh,
    not read from what was kept: what the first reader after any change waits for."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "title": "Written before a readiness request",
        "custom_source": "Model error",
        "likelihood": 2,
        "consequences": {"individuals": {"rating": 3}},
    }
    timings = []
    for _ in range(n + 1):
        if session.post(base + "/api/v1/risks", json=body, headers=headers).status_code != 201:
            raise SystemExit("readiness afresh: the write before it failed")
        start = time.perf_counter()
        response = session.get(base + "/api/v1/readiness", headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"readiness: {response.status_code} {response.text[:300]}")
    timings = sorted(timings[1:])
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def _side_by_side(
    url: str, token: str, n: int, ours: dict[str, tuple[float, float, float]]
) -> None:
    """CISO Assistant's nearest requests, timed as ours (a warm-up, then `n` sequential ones),
    printed beside our figures with the ratio of the medians."""
    import requests

    session = requests.Session()
    headers = {"Authorization": f"Token {token}"}
    first = session.get(f"{url}/api/risk-scenarios/?limit=1", headers=headers)
    if first.status_code != 200:
        raise SystemExit(f"CISO Assistant: {first.status_code} {first.text[:300]}")
    body = first.json()
    count = body.get("count")
    ids = [item["id"] for item in body.get("results", [])]
    print(
        f"\nSide by side: CISO Assistant at {url} ({count} risk scenarios), load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(
        "| CISO Assistant request | min / p50 / p95 ms | bytes "
        "| ours | min / p50 / p95 ms | ours faster (p50) |"
    )
    print("|---|---:|---:|---|---:|---:|")
    for label, path, mine in CISO_REQUESTS:
        if "{first}" in path and not ids:
            continue
        p50, p95, size = _time(session, url + path.format(first=ids[0] if ids else ""), headers, n)
        low = LAST_MIN[0]
        if mine in ours:
            o_min, o_p50, o_p95 = ours[mine]
            beside = f"{o_min:.0f} / {o_p50:.0f} / {o_p95:.0f}"
            ratio = f"{p50 / o_p50:.1f} times"
        else:
            beside, ratio = "not timed in this run", ""
        figures = f"{low:.0f} / {p50:.0f} / {p95:.0f}"
        print(f"| {label} | {figures} | {size:,} | {mine} | {beside} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--export-requests", type=int, default=3, help="exports take seconds")
    parser.add_argument("--postgres", default="", help="admin URL; a fresh database is made")
    parser.add_argument("--only", default="", help="comma-separated words a label must contain")
    parser.add_argument("--database", default="", help="an existing database URL, kept")
    parser.add_argument("--seed-only", action="store_true", help="seed --database, time nothing")
    parser.add_argument("--no-seed", action="store_true", help="time a --database seeded before")
    parser.add_argument(
        "--ciso-assistant",
        default="",
        help="base URL of a CISO Assistant API seeded at the same N (see benchmarks/README.md)",
    )
    parser.add_argument("--ciso-token", default="", help="a CISO Assistant API token (knox)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="aimwell-scale-")
    if args.database:
        url = args.database
    elif args.postgres:
        url = _fresh_database(args.postgres)
    else:
        url = f"sqlite:///{data_dir}/db.sqlite3"
    env = _env(url, data_dir)
    os.environ.update(env)
    subprocess.run([AIMWELL, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    started = time.perf_counter()
    ids = existing(args.events) if args.no_seed else seed(args.systems, args.events)
    seeded = time.perf_counter() - started
    user = get_user_model().objects.get(email=EMAIL)
    backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    if args.seed_only:
        print(f"{backend}: seeded in {seeded:.0f} s; load average {os.getloadavg()[0]:.1f}")
        return
    print(
        f"{backend}: {args.systems:,} systems, {ids['risks']:,} risks, {args.events:,} audit "
        f"events {'found' if args.no_seed else 'seeded'} in {seeded:.0f} s; "
        f"load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs; {args.requests} sequential requests after a warm-up"
    )
    server, base = _serve(env)
    try:
        session = _session(base)
        api = {"Authorization": f"Bearer {ids['token']}"}
        ours: dict[str, tuple[float, float, float]] = {}
        print("| request | p50 ms | p95 ms | bytes | queries |")
        print("|---|---:|---:|---:|---:|")
        words = [w for w in args.only.split(",") if w]
        for label, kind, path in requests_to_time(ids, args.events):
            if words and not any(w.lower() in label.lower() for w in words):
                continue
            headers = api if kind == "api" else {}
            export = "export" in label
            repeat = args.export_requests if export else args.requests
            peak_before = _peak_mib(server.pid)
            p50, p95, size = _time(session, base + path, headers, repeat)
            ours[label] = (LAST_MIN[0], p50, p95)
            queries = _queries(kind, path, ids["token"], user)
            print(f"| {label} | {p50:.0f} | {p95:.0f} | {size:,} | {queries} |", flush=True)
            if export:
                print(f"  server peak memory {peak_before:.0f} -> {_peak_mib(server.pid):.0f} MiB")
        if not words or any("verify" in w for w in words):
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            subprocess.run([AIMWELL, "audit", "verify"], env=env, check=True, capture_output=True)
            took = time.perf_counter() - started
            print(
                f"`aimwell audit verify` ({args.events:,} events, a new process): {took:.1f} s; "
                f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
            )
        if not words or any("create" in w for w in words):
            p50, p95 = _create_risk(session, base, ids["token"], args.requests)
            print(f"| API create a risk | {p50:.0f} | {p95:.0f} | | |")
        if not words or any("afresh" in w for w in words):
            p50, p95 = _readiness_afresh(session, base, ids["token"], args.requests)
            print(f"| API readiness computed afresh (after a write) | {p50:.0f} | {p95:.0f} | | |")
        if args.ciso_assistant:
            _side_by_side(args.ciso_assistant, args.ciso_token, args.requests, ours)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if args.postgres and not args.database:
            from django.db import connections

            connections.close_all()
            _drop_database(args.postgres, url)


if __name__ == "__main__":
    main()
