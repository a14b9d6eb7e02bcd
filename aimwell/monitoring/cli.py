"""`aimwell monitor …`: run a monitor on a log with a progress bar, and the background worker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from aimwell.cli_support import console, err, fail, run_worker, setup_django

app = typer.Typer(
    help="Monitors of AI systems: runs and the background worker.", no_args_is_help=True
)

OrgOption = Annotated[str, typer.Option("--organisation", help="Slug of the organisation.")]


def _org(slug: str) -> Any:
    from aimwell.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"No organisation with the slug {slug!r}.")
    return org


def _system(org: Any, ref: str) -> Any:
    import uuid

    from aimwell.inventory.models import AISystem

    systems = AISystem.objects.filter(organisation=org)
    try:
        found = systems.filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        found = systems.filter(name__iexact=ref).first()
    if found is None:
        raise fail(f"No AI system {ref!r} in {org.name} (give its id or exact name).")
    return found


def _monitor(system: Any, name: str | None) -> Any:
    monitors = list(system.monitors.order_by("name"))
    if name:
        monitors = [m for m in monitors if m.name.lower() == name.lower() or str(m.pk) == name]
    if not monitors:
        raise fail(f"{system.name} has no monitor{f' named {name!r}' if name else ''}.")
    if len(monitors) > 1:
        names = ", ".join(m.name for m in monitors)
        raise fail(f"{system.name} has several monitors ({names}); choose one with --monitor.")
    return monitors[0]


def execute_with_bar(run: Any, quiet: bool = False) -> Any:
    from aimwell.monitoring.services import execute_run

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    ) as bar:
        job = bar.add_task(f"run #{run.number}: reading schema", total=100)

        def step(name: str, pct: int) -> None:
            bar.update(
                job, completed=pct, description=f"run #{run.number}: {name.replace('_', ' ')}"
            )

        return execute_run(run, progress=step)


def _report(run: Any) -> None:
    if run.status == "failed":
        raise fail(f"Run #{run.number} failed: {run.error}")
    console.print(
        f"Run #{run.number}: [bold]{run.outcome}[/bold], {run.n_rows:,} rows in "
        f"{run.duration_seconds:.2f} s; evidence {run.evidence_id}"
    )
    for b in run.breaches:
        console.print(f"  [red]breach[/red] {b['check']} {b['subject']}: {b['message']}")
    for a in run.actions:
        console.print(f"  {a['kind']}: {a['status']} {a.get('label', '')}")


@app.command("run")
def run_command(
    system: Annotated[str, typer.Option("--system", help="AI system id or exact name.")],
    organisation: OrgOption,
    log: Annotated[
        Path, typer.Option("--log", help="Prediction or evaluation log (CSV or Parquet).")
    ],
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference",
            help="Reference log for drift and data quality (baseline log for an evaluation).",
        ),
    ] = None,
    monitor: Annotated[
        str | None, typer.Option("--monitor", help="Monitor name, if the system has several.")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Validate a log, run the system's monitor on it now, and print the outcome and breaches."""
    setup_django()
    from aimwell.monitoring.services import MonitoringError, start_run

    found = _monitor(_system(_org(organisation), system), monitor)
    try:
        run = start_run(
            found,
            actor="aimwell monitor run",
            log=str(log),
            reference=str(reference) if reference else None,
            trusted=True,
        )
    except MonitoringError as exc:
        raise fail(str(exc)) from exc
    _report(execute_with_bar(run, quiet))


@app.command("list")
def list_command(organisation: OrgOption) -> None:
    """Monitors with their latest outcome."""
    setup_django()
    from aimwell.monitoring.models import Monitor

    table = Table("Id", "AI system", "Monitor", "Runs", "Last outcome", "Failing")
    for m in Monitor.objects.filter(organisation=_org(organisation)).select_related("system"):
        table.add_row(
            str(m.pk), m.system.name, m.name, str(m.run_count), m.last_outcome or "—",
            "yes" if m.is_failing else "",
        )  # fmt: skip
    console.print(table)


@app.command("worker")
def worker_command(
    once: Annotated[bool, typer.Option(help="Process the tasks due now, then stop.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls of the queue.")] = 5.0,
) -> None:
    """The same as `aimwell worker` (monitors run on its scheduler); kept for existing scripts."""
    run_worker(once=once, interval=interval)
