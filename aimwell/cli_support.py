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
