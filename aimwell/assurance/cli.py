"""Command line: ``aimwell assurance report`` and ``aimwell assurance profile``.

Needs no database and no Django: it only reads logs and writes files. Every user error
(missing/mistyped column, empty or corrupt file, bad path) ends with a one-line message on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .config import ColumnSpec
from .errors import AssuranceError

app = typer.Typer(
    name="assurance",
    help="Performance, fairness, drift, data-quality and explainability evidence from "
    "prediction logs (CSV or Parquet, local or object store).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


@app.callback()
def _main() -> None:
    """Assurance evidence from prediction logs."""


def _fail(message: str, code: int = 2) -> NoReturn:
    # One line, no markup interpretation of user-provided text.
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _backend(name: str) -> Any:
    from .backends import get_backend

    return get_backend(name)


Multi = list[str] | None


@app.command()
def report(
    log: Annotated[str, typer.Argument(help="Prediction log: CSV/Parquet file, dir or URL.")],
    label: Annotated[str | None, typer.Option(help="Actual outcome column.")] = None,
    prediction: Annotated[str | None, typer.Option(help="Predicted label column.")] = None,
    score: Annotated[str | None, typer.Option(help="Predicted probability column.")] = None,
    sensitive: Annotated[Multi, typer.Option(help="Sensitive attribute (repeatable).")] = None,
    feature: Annotated[Multi, typer.Option(help="Feature for drift (repeatable).")] = None,
    categorical: Annotated[
        Multi, typer.Option(help="Treat this numeric feature as categorical (repeatable).")
    ] = None,
    reference: Annotated[
        str | None, typer.Option(help="Reference log for drift and data quality.")
    ] = None,
    profile: Annotated[
        Path | None, typer.Option(help="Stored reference profile (JSON) instead of a log.")
    ] = None,
    drift_mode: Annotated[str, typer.Option(help="exact or profile.")] = "exact",
    backend: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    task: Annotated[str, typer.Option(help="classification or regression.")] = "classification",
    pos_label: Annotated[str, typer.Option(help="Positive class value.")] = "1",
    threshold: Annotated[
        float, typer.Option(help="Score threshold when no prediction column.")
    ] = 0.5,
    min_group_size: Annotated[
        int, typer.Option(help="Groups smaller than this are reported, not judged.")
    ] = 30,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("assurance-report"),
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Compute the evidence for LOG and write report.json and report.html into --out."""
    from .engine import assess
    from .profile import ReferenceProfile
    from .report import write_report

    try:
        if backend not in ("duckdb", "spark"):
            _fail(f"unknown backend {backend!r}; choose duckdb or spark")
        if drift_mode not in ("exact", "profile"):
            _fail(f"unknown drift mode {drift_mode!r}; choose exact or profile")
        spec = ColumnSpec(
            label=label,
            prediction=prediction,
            score=score,
            sensitive=tuple(sensitive or ()),
            features=tuple(feature or ()),
            categorical=tuple(categorical or ()),
            task=task,  # type: ignore[arg-type]
            pos_label=pos_label,
            threshold=threshold,
            min_group_size=min_group_size,
        )
        if profile is not None and not profile.is_file():
            _fail(f"profile not found: {profile}")
        prof = ReferenceProfile.from_json(profile) if profile is not None else None
        steps = 4 + (reference is not None or prof is not None)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=quiet or not err.is_terminal,
            transient=True,
        ) as bar:
            job = bar.add_task("reading schema", total=steps)

            def step(name: str) -> None:
                bar.update(job, advance=1, description=name.replace("_", " "))

            be = _backend(backend)
            try:
                result = assess(
                    log,
                    spec,
                    reference=reference,
                    backend=be,
                    drift_mode=drift_mode,  # type: ignore[arg-type]
                    profile=prof,
                    progress=step,
                )
            finally:
                be.close()
            bar.update(job, completed=steps, description="writing report")
            json_path, html_path = write_report(result, out)
    except AssuranceError as exc:
        _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    except OSError as exc:
        _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    typer.echo(f"status: {result.status}")
    typer.echo(f"wrote {json_path} and {html_path}")


@app.command("profile")
def build_profile_cmd(
    reference: Annotated[str, typer.Argument(help="Reference log (CSV/Parquet, dir or URL).")],
    feature: Annotated[list[str], typer.Option(help="Column to profile (repeatable).")],
    categorical: Annotated[Multi, typer.Option(help="Profile as categorical.")] = None,
    backend: Annotated[str, typer.Option(help="duckdb or spark.")] = "duckdb",
    out: Annotated[Path, typer.Option(help="Profile JSON file.")] = Path("profile.json"),
) -> None:
    """Build a reference profile once (per model version) for --drift-mode profile."""
    from .engine import build_profile

    try:
        be = _backend(backend)
        try:
            prof = build_profile(reference, feature, be, tuple(categorical or ()))
        finally:
            be.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        prof.to_json(out)
    except AssuranceError as exc:
        _fail(str(exc).splitlines()[0])
    except OSError as exc:
        _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    typer.echo(f"wrote {out}")


def main() -> None:
    """Entry point for ``python -m aimwell.assurance``."""
    try:
        app(prog_name="aimwell assurance")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
