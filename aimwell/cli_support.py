"""What every `aimwell` sub-command shares: lazy Django set-up and friendly errors."""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.markup import escape

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def setup_django() -> None:
    """Configure Django on first use; a configuration problem is a message, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimwell.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        err.print(f"[red]Configuration error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def fail(message: str) -> typer.Exit:
    err.print(f"[red]Error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(2)


def run_worker(*, once: bool = False, interval: float = 1.0) -> None:
    """`aimwell worker`: queue every recurring job that has no run waiting (reminders, due
    monitors and the stale-run sweep, audit anchors, registry syncs; aimwell.core.scheduler),
    then process the database queue (each job, run, webhook delivery) until stopped, or, with
    `once`, every task that is due now."""
    setup_django()
    from django.core.management import call_command

    from aimwell.core import scheduler

    for name, when in scheduler.ensure_scheduled().items():
        if when is not None:
            console.print(f"Queued {name}: next run at {when:%Y-%m-%d %H:%M %Z}")
    if once:
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    else:
        call_command("db_worker", interval=interval)
