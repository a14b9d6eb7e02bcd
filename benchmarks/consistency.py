"""Benchmark: the pre-audit check (every rule) on an organisation with 10,000 AI systems and
100,000 risks.

Seeds a fresh database (SQLite by default, or PostgreSQL with --postgres URL), then measures in a
fresh interpreter: the engine's time (min and median of --repeat runs), its query count, and the
process's peak memory. Beside it, the readiness score over the same data: the computation a user
already waits for on the readiness page (no other tool checks its own data for contradictions,
so there is no outside tool to race).

    .venv/bin/python benchmarks/consistency.py [--systems 10000] [--risks 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._measure import emit, machine, run_worker, save  # noqa: E402


def _env(database_url: str, data_dir: str) -> None:
    os.environ.update(
        {
            "AIMWELL_SECRET_KEY": "b" * 50,
            "AIMWELL_AUDIT_KEY": "k" * 50,
            "AIMWELL_ENV_FILE": "/nonexistent",
            "AIMWELL_DATA_DIR": data_dir,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "aimwell.settings",
        }
    )
    import django

    django.setup()


def _seed(systems: int, risks: int) -> str:
    from django.core.management import call_command

    from aimwell.accounts import services as accounts
    from aimwell.catalog.services import load_builtin_catalog
    from aimwell.inventory.models import AISystem
    from aimwell.risks.models import Risk
    from aimwell.risks.services import method as methods

    call_command("migrate", verbosity=0)
    load_builtin_catalog()
    org = accounts.create_organisation(name="Bench", slug="bench", actor="bench")
    owner = accounts.add_member(org, email="m@bench.example", role="aims_manager",
                                actor="bench", risk_acceptance_limit=9).user  # fmt: skip
    method = methods.publish_method(org, actor="bench")
    classes = ["high_risk", "limited", "minimal", ""]
    rows = [
        AISystem(
            organisation=org,
            name=f"System {i:05d}",
            purpose="Benchmark",
            owner=owner if i % 10 else None,
            lifecycle_stage="deployed",
            risk_class=classes[i % 4],
        )
        for i in range(systems)
    ]
    AISystem.objects.bulk_create(rows, batch_size=2000)
    risk_rows = []
    for i in range(risks):
        likelihood, consequence = 1 + i % 5, 1 + (i // 5) % 5
        level = likelihood * consequence
        accepted = i % 7 == 0
        risk_rows.append(
            Risk(
                organisation=org,
                reference=f"R-{i + 1:06d}",
                title=f"Risk {i}",
                system=rows[i % systems],
                custom_source="Benchmark",
                method=method,
                inherent_likelihood=likelihood,
                inherent_consequence=consequence,
                inherent_level=level,
                treatment_option="modify" if i % 3 else "",
                residual_level=level if accepted else None,
                status="accepted" if accepted else "identified",
                accepted_by=owner if accepted else None,
                accepted_by_label="m@bench.example" if accepted else "",
                accepted_level=level if accepted else None,
            )
        )
    Risk.objects.bulk_create(risk_rows, batch_size=5000)
    return org.slug


def _worker(repeat: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from aimwell.accounts.models import Organisation
    from aimwell.consistency import engine
    from aimwell.controls import readiness

    org = Organisation.objects.get(slug="bench")
    times, counts = [], []
    report = None
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            report = engine.run(org)
            times.append(time.perf_counter() - start)
        counts.append(len(ctx.captured_queries))
    ready_times = []
    for _ in range(repeat):
        start = time.perf_counter()
        readiness.compute(org, with_trend=False)
        ready_times.append(time.perf_counter() - start)
    assert report is not None
    by_rule: dict[str, int] = {}
    for finding in report.findings:
        by_rule[finding.rule.key] = by_rule.get(finding.rule.key, 0) + 1
    emit(
        {
            "engine_min_s": min(times),
            "engine_median_s": statistics.median(times),
            "queries": counts,
            "findings": len(report.findings),
            "findings_by_rule": by_rule,
            "readiness_min_s": min(ready_times),
            "readiness_median_s": statistics.median(ready_times),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--risks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL instead of SQLite")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.worker:
        _env(args.database_url, args.data_dir)
        _worker(args.repeat)
        return
    data_dir = tempfile.mkdtemp(prefix="aimwell-consistency-")
    url = args.postgres or f"sqlite:///{data_dir}/bench.sqlite3"
    _env(url, data_dir)
    start = time.perf_counter()
    _seed(args.systems, args.risks)
    seeded = time.perf_counter() - start
    result = run_worker(
        Path(__file__),
        ["--repeat", str(args.repeat), "--data-dir", data_dir, "--database-url", url],
    )
    result.update(
        {
            "systems": args.systems,
            "risks": args.risks,
            "database": "postgresql" if args.postgres else "sqlite",
            "seed_s": round(seeded, 1),
            "machine": machine(),
        }
    )
    path = save(f"consistency-{args.systems}-{args.risks}-{result['database']}", result)
    print(
        f"{args.systems} systems, {args.risks} risks ({result['database']}): pre-audit check "
        f"min {result['engine_min_s']:.2f} s, median {result['engine_median_s']:.2f} s, "
        f"{result['queries']} queries, {result['findings']} findings, peak "
        f"{result['peak_rss_mib']} MiB; readiness score min {result['readiness_min_s']:.2f} s, "
        f"median {result['readiness_median_s']:.2f} s. Saved {path}"
    )


if __name__ == "__main__":
    main()
