"""Benchmark: build the stage-1 certification pack of the demo organisation.

Loads the built-in catalog and the demo organisation (Meridian Lending) into a fresh SQLite
database, then builds the pack's files in memory several times (`reports.services.build_files`,
which the page, the API and the CLI all call; storing the zip and the audit event are not timed)
and prints the median and the minimum of each part: gathering the data, rendering the PDF, writing
the workbook, and the whole pack (gathering, PDF, workbook, CSV, zip, manifest and signatures).
It also times `aimwell reports pack` end to end as a new process (start-up, Django set-up, the
build, storing the zip and the audit event), and the pack of an organisation with nothing
recorded (what the role-matrix tests build).

Beside it, what a user would otherwise do:

* "separate exports": the existing exports an AIMS manager would download one by one for an
  auditor (Statement of Applicability, gap analysis and risk register, each as xlsx and as PDF).
  They cover three of the pack's fifteen sections.
* "floor": the same gathered tables dumped with no styling at all: an openpyxl write-only
  workbook and a CSV per table, and WeasyPrint rendering the same tables as bare HTML (no
  stylesheet, no table of contents, no page counters); and WeasyPrint's fixed cost for a
  one-page document.

    .venv/bin/python benchmarks/certification_pack.py [--repeat 7] [--profile pdf|data|xlsx|total]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import html
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    tmp = tempfile.mkdtemp(prefix="aimwell-pack-")
    os.environ.update(
        {
            "AIMWELL_SECRET_KEY": "b" * 50,
            "AIMWELL_AUDIT_KEY": "k" * 50,
            "AIMWELL_ENV_FILE": "/nonexistent",
            "AIMWELL_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "aimwell.settings",
            "AIMWELL_ADMIN_PASSWORD": "bench-admin-password",
            "AIMWELL_DEMO_PASSWORD": "bench-demo-password",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load() -> Any:
    from aimwell.catalog.services import load_builtin_catalog
    from aimwell.classification.services import sync_rule_sets
    from aimwell.demo import demo_organisation, load_demo

    load_builtin_catalog()
    sync_rule_sets()
    load_demo()
    return demo_organisation()


def _empty_organisation() -> Any:
    """A new organisation with nothing recorded: its pack still lists the SoA's controls, the
    mandatory documents checklist, the RACI processes and the gap analysis."""
    from aimwell.accounts import services

    return services.create_organisation(name="Empty Ltd", slug="empty-ltd", actor="bench")


def _stats(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s | {min(times):.3f} s"


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def _all_tables(data: Any) -> list[tuple[str, Any]]:
    tables = [(f"{s.number} {t.title}", t) for s in data.sections for t in s.tables]
    return [*tables, ("Evidence index", data.evidence)]


def _floor_xlsx(data: Any) -> bytes:
    """Every table, every column, in an openpyxl write-only workbook: no styles, no widths."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for n, (title, table) in enumerate(_all_tables(data)):
        sheet = book.create_sheet(f"{n} {title}"[:31])
        sheet.append(list(table.headers))
        for row in table.rows:
            sheet.append([v if isinstance(v, int | float) else str(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _floor_csv(data: Any) -> list[bytes]:
    out = []
    for _, table in _all_tables(data):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(table.headers)
        writer.writerows(table.rows)
        out.append(buffer.getvalue().encode())
    return out


def _floor_html(data: Any) -> str:
    """The same tables (the PDF's columns) and texts as bare HTML: no stylesheet at all."""
    parts = ["<!doctype html><html><head><meta charset='utf-8'></head><body>"]
    for title, table in _all_tables(data):
        parts.append(f"<h2>{html.escape(title)}</h2><table><tr>")
        parts.extend(f"<th>{html.escape(h)}</th>" for h in table.pdf_headers)
        parts.append("</tr>")
        for row in table.pdf_rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    for section in data.sections:
        parts.append(section.html)
    parts.append("</body></html>")
    return "".join(parts)


def _pdf(source: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=source).write_pdf()  # type: ignore[no-any-return]


def _separate_exports(org: Any) -> int:
    from aimwell.controls import exports as controls
    from aimwell.risks import exports as risks

    files = [
        controls.soa_xlsx(org),
        controls.soa_pdf(org),
        controls.gap_xlsx(org),
        controls.gap_pdf(org),
        risks.register_xlsx(org),
        risks.register_pdf(org),
    ]
    return sum(len(f) for f in files)


def _command(slug: str, out: Path) -> None:
    """`aimwell reports pack` in a new process: start-up, Django set-up, build, store, audit."""
    command = [str(ROOT / ".venv/bin/aimwell"), "reports", "pack", "--organisation", slug]
    done = subprocess.run(
        [*command, "--out", str(out)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"aimwell reports pack failed:\n{done.stdout}{done.stderr}")


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--profile",
        choices=["data", "pdf", "xlsx", "total"],
        help="print a cProfile of one part instead of the figures",
    )
    args = parser.parse_args()
    _setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from aimwell.reports import builders
    from aimwell.reports.data import gather
    from aimwell.reports.services import build_files

    start = time.perf_counter()
    org = _load()
    loaded = time.perf_counter() - start
    build_files(org, actor="bench")  # warm up: imports, templates, fonts

    if args.profile:
        data = gather(org, generated_by="bench")
        part: Callable[[], Any] = {
            "data": lambda: gather(org, generated_by="bench"),
            "pdf": lambda: builders.pack_pdf(data),
            "xlsx": lambda: builders.pack_xlsx(data),
            "total": lambda: build_files(org, actor="bench"),
        }[args.profile]
        profile = cProfile.Profile()
        profile.enable()
        part()
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(45)
        return

    builds, cpu = [], []
    for _ in range(args.repeat):
        reset_queries()
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            built = build_files(org, actor="bench")
        cpu.append(time.process_time() - started)
        builds.append((built, len(queries.captured_queries)))
    built = builds[-1][0]
    data = built.data
    rows = sum(len(t.rows) for _, t in _all_tables(data))
    part_times = {k: [b.timings[k] for b, _ in builds] for k in ("data", "pdf", "xlsx", "total")}

    empty = _empty_organisation()
    build_files(empty, actor="bench")
    empty_times, _ = _timed(lambda: build_files(empty, actor="bench"), args.repeat)
    out = Path(os.environ["AIMWELL_DATA_DIR"]) / "pack.zip"
    command, _ = _timed(lambda: _command(org.slug, out), min(args.repeat, 3))
    separate, _ = _timed(lambda: _separate_exports(org), args.repeat)
    floor_xlsx, _ = _timed(lambda: (_floor_xlsx(data), _floor_csv(data)), args.repeat)
    bare = _floor_html(data)
    floor_pdf, bare_pdf = _timed(lambda: _pdf(bare), args.repeat)
    one_page, _ = _timed(lambda: _pdf("<p>Certification pack</p>"), args.repeat)

    load = os.getloadavg()
    print(
        f"Demo organisation loaded in {loaded:.1f} s: {len(data.sections)} sections, "
        f"{len(_all_tables(data))} tables, {rows} rows, {data.evidence_count} evidence items; "
        f"pack: PDF {_pages(built.pdf)} pages / {len(built.pdf) // 1024} KiB, workbook "
        f"{len(built.xlsx) // 1024} KiB, zip {len(built.zip) // 1024} KiB; "
        f"{builds[-1][1]} queries per build."
    )
    print(
        f"{args.repeat} runs each; {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print()
    print("| part | Aimwell median | Aimwell min | instead | median | min |")
    print("|---|---|---|---|---|---|")
    print(f"| gather the data | {_stats(part_times['data'])} | (the floors below reuse it) | | |")
    print(
        f"| PDF | {_stats(part_times['pdf'])} | WeasyPrint, same tables as bare HTML "
        f"({_pages(bare_pdf)} pages) | {_stats(floor_pdf)} |"
    )
    print(
        f"| workbook | {_stats(part_times['xlsx'])} | openpyxl write-only dump + CSV per table | "
        f"{_stats(floor_xlsx)} |"
    )
    print(
        f"| whole pack | {_stats(part_times['total'])} | separate exports (SoA, gaps, risk "
        f"register; xlsx + PDF each) | {_stats(separate)} |"
    )
    print(f"| whole pack, CPU time of the process | {_stats(cpu)} | | | |")
    print(
        f"| `aimwell reports pack` (new process, stores the pack; {len(command)} runs) | "
        f"{_stats(command)} | | | |"
    )
    print(
        f"| whole pack, an organisation with nothing recorded | {_stats(empty_times)} | "
        f"WeasyPrint, a one-page document | {_stats(one_page)} |"
    )


if __name__ == "__main__":
    main()
