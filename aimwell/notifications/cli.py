"""`aimwell reminders …`: send today's (or a given day's) reminders, schedule the daily run on the
database-backed queue, and run the queue's worker."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aimwell.cli_support import console, fail, run_worker, setup_django

app = typer.Typer(
    help="Reminders of due and overdue items (in-app notifications and email).",
    no_args_is_help=True,
)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"--date must be YYYY-MM-DD, not {value!r}.") from exc


@app.command("run")
def run(
    date: Annotated[
        str | None, typer.Option("--date", help="The day to remind for (YYYY-MM-DD); today.")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation (slug).")
    ] = None,
    email: Annotated[bool, typer.Option("--email/--no-email", help="Also send email.")] = True,
) -> None:
    """Notify the owner of every item due or overdue on the day (once per item and day)."""
    day = _date(date)
    setup_django()
    from django.utils import timezone

    from aimwell.accounts.models import Organisation
    from aimwell.notifications.reminders import send_reminders

    org = None
    if organisation:
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise fail(f"No organisation with the slug {organisation!r}.")
    report = send_reminders(day or timezone.localdate(), organisation=org, email=email)
    table = Table("Due", "Item", "Kind")
    for item in report.items:
        table.add_row(item.due_date.isoformat(), escape(item.title), item.kind)
    if report.items:
        console.print(table)
    console.print(report.summary())


@app.command("schedule")
def schedule() -> None:
    """Queue the daily reminder run (06:00, then every day); does nothing if one is queued."""
    setup_django()
    from aimwell.notifications.tasks import schedule as queue

    when = queue()
    if when is None:
        console.print("The daily reminder run is already queued.")
    else:
        console.print(f"Daily reminders queued; the first run is at {when:%Y-%m-%d %H:%M %Z}.")


@app.command("worker")
def worker() -> None:
    """The same as `aimwell worker` (the daily run is one of its jobs), kept for scripts."""
    run_worker()
