"""The `aimwell` executable's entry point: a dispatcher that imports as little as possible.

`aimwell assurance ...` is run from scripts and schedulers on machines with no database, often
once per log; it goes straight to the assurance CLI (Typer and the engine only) instead of first
building the Typer app of every Aimwell command, whose imports cost over a second. Every other
command goes to `aimwell.cli`."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["assurance"]:
        from aimwell.assurance.cli import main as assurance_main

        del sys.argv[1]
        assurance_main()
        return
    from aimwell.cli import main as full_main

    full_main()
