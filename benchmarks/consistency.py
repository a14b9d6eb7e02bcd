"""Benchmark: the pre-audit check (every rule) on an organisation with 10,000 AI systems and
100,000 risks (and the life-cycle records of those systems: a model version each, a deployment
approval for half of them, a change request each).

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
from typing import Any

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
    _seed_lifecycle(org, owner, rows)
    return org.slug


def _seed_lifecycle(org: Any, owner: Any, systems: list[Any]) -> None:
    """A model version per system, a deployment approval for every other system (one in ten of
    them reopened by a retired version) and a change request per system in every state."""
    import datetime as dt

    from django.utils import timezone

    from aimwell.change_control.models import ChangeRequest
    from aimwell.inventory.models import AIModel, AISystem
    from aimwell.lifecycle.models import DeploymentApproval

    today, now = timezone.localdate(), timezone.now()
    models = [
        AIModel(
            organisation=org,
            name=f"Model {i:05d}",
            version="1.0",
            origin="in_house",
            retired_on=today if i % 20 == 0 else None,
        )
        for i in range(len(systems))
    ]
    AIModel.objects.bulk_create(models, batch_size=2000)
    through = AISystem.models_used.through
    through.objects.bulk_create(
        [through(aisystem_id=s.pk, aimodel_id=m.pk) for s, m in zip(systems, models, strict=True)],
        batch_size=5000,
    )
    DeploymentApproval.objects.bulk_create(
        [
            DeploymentApproval(
                organisation=org,
                system=s,
                model=m,
                model_label=f"{m.name} {m.version}",
                number=1,
                approved_by=owner,
                approved_by_label="m@bench.example",
                approved_at=now,
                designation="top_management",
            )
            for i, (s, m) in enumerate(zip(systems, models, strict=True))
            if i % 2 == 0
        ],
        batch_size=2000,
    )
    states = ["draft", "approved", "implemented", "reviewed"]
    changes = []
    for i, system in enumerate(systems):
        state = states[i % 4]
        decided = state != "draft"
        changes.append(
            ChangeRequest(
                organisation=org,
                reference=f"CHG-{i + 1:05d}",
                title=f"Change {i}",
                scope="system",
                system=system,
                reason="Benchmark",
                what_changes="Benchmark",
                planned_for=today - dt.timedelta(days=3),
                review_after=today - dt.timedelta(days=1),
                status=state,
                decided_at=now if decided else None,
                decided_by_label="m@bench.example" if decided else "",
                implemented_on=today if state in ("implemented", "reviewed") else None,
                reviewed_on=today if state == "reviewed" else None,
            )
        )
    ChangeRequest.objects.bulk_create(changes, batch_size=2000)


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
