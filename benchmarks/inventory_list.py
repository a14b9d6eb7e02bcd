"""Benchmark: the AI systems list (page and API) over 10,000 systems with models and datasets.

Seeds a fresh database (SQLite by default, or PostgreSQL with --postgres URL), then requests
pages of the list through Django's test client in one process (no network in the figure), for
several filters and sorts, and prints p50/p95 latency and the query count per request.

    .venv/bin/python benchmarks/inventory_list.py [--systems 10000] [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(database_url: str) -> None:
    tmp = tempfile.mkdtemp(prefix="aimwell-inv-")
    os.environ.update(
        {
            "AIMWELL_SECRET_KEY": "b" * 50,
            "AIMWELL_AUDIT_KEY": "k" * 50,
            "AIMWELL_ENV_FILE": "/nonexistent",
            "AIMWELL_DATA_DIR": tmp,
            "DATABASE_URL": database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "aimwell.settings",
            "AIMWELL_ALLOWED_HOSTS": "testserver",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(n: int) -> tuple[object, object]:
    from aimwell.accounts import services as accounts
    from aimwell.inventory.models import AIModel, AISystem, Dataset

    org = accounts.create_organisation(
        name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}", actor="bench"
    )
    manager = accounts.add_member(
        org,
        email="m@bench.example",
        role="aims_manager",
        password="bench-password-123",  # noqa: S106 (a throwaway benchmark database)
        actor="bench",
    )
    stages = ["idea", "design", "development", "validation", "deployed", "retired"]
    models = [
        AIModel(organisation=org, name=f"model {i}", version="1", origin="in_house")
        for i in range(n)
    ]
    datasets = [Dataset(organisation=org, name=f"dataset {i}") for i in range(n)]
    systems = [
        AISystem(
            organisation=org,
            name=f"System {i:05d}",
            purpose=f"Purpose {i}",
            owner=manager.user,
            lifecycle_stage=stages[i % 6],
            business_unit=f"Unit {i % 12}",
        )
        for i in range(n)
    ]
    for rows in (models, datasets, systems):
        type(rows[0]).objects.bulk_create(rows, batch_size=2000)
    through_m = AISystem.models_used.through
    through_d = AISystem.datasets.through
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
    return org, manager.user


def _time(client, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    timings = []
    queries = 0
    for i in range(requests):
        page = (i % 50) + 1
        separator = "&" if "?" in url else "?"
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{url}{separator}page={page}")
        timings.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        assert response.status_code == 200, response.status_code
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    url = args.postgres
    if url:
        import psycopg

        name = f"aimwell_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = url.rsplit("/", 1)[0] + "/" + name
    _setup(url)
    from django.test import Client

    start = time.perf_counter()
    _, user = _seed(args.systems)
    seeded = time.perf_counter() - start
    client = Client()
    client.force_login(user)
    backend = "PostgreSQL" if url else "SQLite"
    print(
        f"{backend}: seeded {args.systems:,} systems with a model and a dataset each in "
        f"{seeded:.1f} s; {args.requests} requests per row, pages 1-50 of 25"
    )
    print("| request | p50 ms | p95 ms | queries |")
    print("|---|---|---|---|")
    for label, path in [
        ("page /ai-systems/", "/ai-systems/"),
        ("page, 100 per page", "/ai-systems/?page_size=100"),
        ("page, stage filter + sort by owner", "/ai-systems/?stage=deployed&sort=owner"),
        ("page, search", "/ai-systems/?q=System%200"),
        ("API /api/v1/ai-systems", "/api/v1/ai-systems"),
        ("API, 100 per page", "/api/v1/ai-systems?page_size=100"),
        (
            "API, sort by risk class, needs review",
            "/api/v1/ai-systems?sort=risk&needs_review=false",
        ),
    ]:
        p50, p95, queries = _time(client, path, args.requests)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {queries} |")
    if url:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}"')


if __name__ == "__main__":
    main()
