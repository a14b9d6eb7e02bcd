"""Command line: ``aimwell assurance report`` and ``aimwell assurance profile``.

Needs no database and no Django: it only reads logs and writes files. Start-up matters (it is
run from scripts and schedulers, once per log), so the parser is the standard library's
argparse (Typer's parameter and help machinery costs ~0.35 s of imports before any work),
and the engine, NumPy, DuckDB, SciPy and Rich load only when a command runs.

Exit codes: 0 the report was written (and, with ``--fail-on``, no breach); 1 the report was
written and its status reached the ``--fail-on`` level; 2 bad input (a missing file or
column, a corrupt log, a refused configuration, a bad option): one line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from aimwell.generative_evaluation.cli import add_generative_options, generative_spec

from .errors import AssuranceError

EXIT_OK, EXIT_BREACH, EXIT_BAD_INPUT = 0, 1, 2
FORMATS = ("json", "md", "html")
FAIL_LEVELS = ("warning", "alert")
PROG = "aimwell assurance"
EXIT_CODES = "Exit codes: 0 ok; 1 the status reached --fail-on; 2 bad input (one-line error)."
MIN_GROUP_HELP = (
    "Groups with fewer rows (with label and prediction) than this are listed and counted but "
    "not judged: their rates are too uncertain for a disparity verdict. The default 30 is the "
    "usual rule of thumb for a rate's normal approximation; excluded groups are named at the "
    "top of the report. (default: 30)"
)


class BadInput(Exception):
    """A user error found by the CLI itself (before or around the engine)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other error of this command, with the way to more help.
        raise BadInput(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Performance, fairness, drift, data-quality and explainability evidence "
        "from prediction logs (CSV or Parquet, local or object store).",
        epilog=EXIT_CODES,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    r = commands.add_parser(
        "report",
        help="Compute the evidence for a log and write the report.",
        description="Compute the evidence for LOG and write report.json and report.html into "
        "--out, or one --output file.",
        epilog=EXIT_CODES,
    )
    r.add_argument("log", metavar="LOG", help="Prediction log: CSV/Parquet file, dir or URL.")
    r.add_argument("--label", help="Actual outcome column.")
    r.add_argument("--prediction", help="Predicted label (class) column.")
    r.add_argument("--score", help="Predicted probability column.")
    r.add_argument("--sensitive", action="append", default=[],
                   help="Sensitive attribute (repeatable).")  # fmt: skip
    r.add_argument("--bin", action="append", default=[], metavar="COLUMN=EDGES",
                   help="Group a numeric sensitive attribute into intervals, e.g. "
                   "age=25,40,60 gives <25, [25,40), [40,60), >=60 (repeatable).")  # fmt: skip
    r.add_argument("--max-groups", type=int, default=200,
                   help="Refuse a sensitive attribute with more distinct values (groups) "
                   "than this (default: 200).")  # fmt: skip
    r.add_argument("--feature", action="append", default=[],
                   help="Feature for drift (repeatable; default: every column playing no "
                   "other role).")  # fmt: skip
    r.add_argument("--categorical", action="append", default=[],
                   help="Treat this numeric feature as categorical (repeatable).")  # fmt: skip
    r.add_argument("--reference", help="Reference log for drift and data quality.")
    r.add_argument("--profile", type=Path, help="Stored reference profile (JSON) instead.")
    r.add_argument("--drift-mode", default="exact", choices=("exact", "profile"),
                   help="exact (default) or profile.")  # fmt: skip
    r.add_argument("--backend", default="duckdb", choices=("duckdb", "spark"),
                   help="duckdb (default) or spark.")  # fmt: skip
    r.add_argument("--task", default="classification",
                   choices=("classification", "regression", "generative"),
                   help="classification (default: binary or multiclass), regression, or "
                   "generative (an evaluation log of a generative-AI system: one row per "
                   "test case).")  # fmt: skip
    r.add_argument("--pos-label", default="1",
                   help="Positive class value; it must occur in the log (default: 1).")  # fmt: skip
    r.add_argument("--threshold", type=float, default=0.5,
                   help="Score threshold when there is no prediction column "
                   "(default: 0.5).")  # fmt: skip
    r.add_argument("--min-group-size", type=int, default=30, help=MIN_GROUP_HELP)
    r.add_argument("--confidence", type=float, default=0.95,
                   help="Confidence level of the intervals (default: 0.95).")  # fmt: skip
    add_generative_options(r)
    r.add_argument("--out", type=Path,
                   help="Output directory for report.json and report.html (default: "
                   "assurance-report, unless --output is given).")  # fmt: skip
    r.add_argument("--output", type=Path,
                   help="Write one file instead (format from --format or the suffix).")  # fmt: skip
    r.add_argument("--format", choices=FORMATS, help="Format of --output: json, md or html.")
    r.add_argument("--fail-on", choices=FAIL_LEVELS,
                   help="Exit with code 1 when the status is at least this level.")  # fmt: skip
    _resources(r)
    r.add_argument("--quiet", action="store_true",
                   help="No progress display and no 'wrote' line (on every backend).")  # fmt: skip
    p = commands.add_parser(
        "profile",
        help="Build a reference profile once (per model version) for --drift-mode profile.",
        description="Build a reference profile once (per model version) for --drift-mode profile.",
        epilog=EXIT_CODES,
    )
    p.add_argument("reference", metavar="REFERENCE", help="Reference log (CSV/Parquet, dir, URL).")
    p.add_argument("--feature", action="append", required=True,
                   help="Column to profile (repeatable).")  # fmt: skip
    p.add_argument("--categorical", action="append", default=[], help="Profile as categorical.")
    p.add_argument("--backend", default="duckdb", choices=("duckdb", "spark"))
    p.add_argument("--out", type=Path, default=Path("profile.json"),
                   help="Profile JSON file (default: profile.json).")  # fmt: skip
    _resources(p)
    p.add_argument("--quiet", action="store_true", help="Print nothing on success.")
    return parser


def _resources(p: argparse.ArgumentParser) -> None:
    p.add_argument("--memory-limit",
                   help="DuckDB memory limit, e.g. 1GB; beyond it, work spills to disk "
                   "(default: $AIMWELL_ASSURANCE_MEMORY_LIMIT, else 256MB).")  # fmt: skip
    p.add_argument("--temp-dir", type=Path,
                   help="Spill directory of DuckDB and Spark (default: "
                   "$AIMWELL_ASSURANCE_TEMP_DIR, else a folder of the process under the "
                   "system temporary directory).")  # fmt: skip


def parse_bins(values: Sequence[str]) -> dict[str, tuple[float, ...]]:
    """``COLUMN=E1,E2,...`` options into {column: edges}; a malformed one is a clear error."""
    out: dict[str, tuple[float, ...]] = {}
    for raw in values:
        column, sep, edges = raw.partition("=")
        if not sep or not column.strip() or not edges.strip():
            raise BadInput(f"--bin {raw!r}: expected COLUMN=EDGES, e.g. age=25,40,60")
        try:
            out[column.strip()] = tuple(float(e) for e in edges.split(","))
        except ValueError as exc:
            raise BadInput(f"--bin {raw!r}: edges must be numbers, e.g. age=25,40,60") from exc
    return out


def _format_of(output: Path, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower().lstrip(".")
    guessed = {"json": "json", "md": "md", "markdown": "md", "html": "html", "htm": "html"}
    if suffix not in guessed:
        raise BadInput(f"cannot tell the format of {output.name!r}; add --format json, md or html")
    return guessed[suffix]


def _backend(name: str, memory_limit: str | None, temp_dir: Path | None, quiet: bool) -> Any:
    from .backends import get_backend

    if name == "duckdb":
        return get_backend(name, memory_limit=memory_limit, temp_directory=temp_dir)
    return get_backend(name, local_dir=temp_dir, quiet=quiet)


# Options of prediction logs that mean nothing for an evaluation log, and the reverse.
PREDICTION_ONLY = ("label", "prediction", "reference", "profile", "feature", "categorical", "bin")
GENERATIVE_ONLY = ("category", "outcome", "pass_threshold", "refusal", "run_id", "baseline",
                   "baseline_run", "current_run")  # fmt: skip


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _check_options(args: argparse.Namespace) -> None:
    generative = args.task == "generative"
    for name in PREDICTION_ONLY if generative else GENERATIVE_ONLY:
        if getattr(args, name) not in (None, []):
            if generative:
                raise BadInput(f"{_option(name)} does not apply to --task generative")
            raise BadInput(f"{_option(name)} applies to --task generative only")
    if generative:
        if not args.category:
            raise BadInput("--task generative needs --category COLUMN")
        if len(args.sensitive) > 1:
            raise BadInput("--task generative takes at most one --sensitive column")


def _report(args: argparse.Namespace) -> int:
    from .config import ColumnSpec

    if args.format is not None and args.output is None:
        raise BadInput("--format applies to --output FILE; --out DIR always writes JSON and HTML")
    fmt = _format_of(args.output, args.format) if args.output is not None else None
    _check_options(args)
    if args.profile is not None and not args.profile.is_file():
        raise BadInput(f"profile not found: {args.profile}")
    if args.task == "generative":
        result = _assess(generative_spec(args), args)
    else:
        spec = ColumnSpec(
            label=args.label,
            prediction=args.prediction,
            score=args.score,
            sensitive=tuple(args.sensitive),
            features=tuple(args.feature),
            categorical=tuple(args.categorical),
            task=args.task,
            pos_label=args.pos_label,
            threshold=args.threshold,
            min_group_size=args.min_group_size,
            bins=tuple(parse_bins(args.bin).items()),
            max_groups=args.max_groups,
            confidence=args.confidence,
        )
        result = _assess(spec, args)
    from .report import write_one, write_report

    written: list[Path] = []
    if args.output is not None:
        assert fmt is not None
        written.append(write_one(result, args.output, fmt))
    if args.out is not None or args.output is None:
        written += write_report(result, args.out or Path("assurance-report"))
    print(f"status: {result.status}")
    for line in result.headline:
        print(f"note: {line}", file=sys.stderr)
    if not args.quiet:
        print("wrote " + " and ".join(str(p) for p in written), file=sys.stderr)
    order = {"not_judged": -1, "ok": 0, "warning": 1, "alert": 2}
    if args.fail_on is not None and order.get(result.status, 0) >= order[args.fail_on]:
        return EXIT_BREACH
    return EXIT_OK


def _assess(spec: Any, args: argparse.Namespace) -> Any:
    from aimwell.data_drift.profile import ReferenceProfile

    from .engine import assess
    from .progress import StageProgress

    if args.quiet:
        # Library warnings (PySpark's about pandas versions, say) are noise in a quiet run.
        warnings.simplefilter("ignore")
    prof = ReferenceProfile.from_json(args.profile) if args.profile is not None else None
    be = _backend(args.backend, args.memory_limit, args.temp_dir, args.quiet)
    try:
        with StageProgress(be, enabled=not args.quiet and sys.stderr.isatty()) as progress:
            if args.task == "generative":
                from aimwell.generative_evaluation.evaluation import assess_generative

                return assess_generative(
                    args.log, spec, args.baseline, backend=be, progress=progress.stage
                )
            return assess(
                args.log,
                spec,
                reference=args.reference,
                backend=be,
                drift_mode=args.drift_mode,
                profile=prof,
                progress=progress.stage,
            )
    finally:
        be.close()


def _profile(args: argparse.Namespace) -> int:
    from .engine import build_profile

    be = _backend(args.backend, args.memory_limit, args.temp_dir, args.quiet)
    try:
        prof = build_profile(args.reference, args.feature, be, tuple(args.categorical))
    finally:
        be.close()
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    prof.to_json(out)
    if not args.quiet:
        print(f"wrote {out}")
    return EXIT_OK


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run(argv: Sequence[str]) -> int:
    """Run the CLI on ``argv`` (without the program name) and return the exit code."""
    try:
        try:
            args = build_parser().parse_args(list(argv))
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        if args.command is None:
            build_parser().print_help()
            return EXIT_OK if not argv else EXIT_BAD_INPUT
        return _report(args) if args.command == "report" else _profile(args)
    except BadInput as exc:
        return _error(str(exc))
    except AssuranceError as exc:
        return _error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    except OSError as exc:
        return _error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


def main() -> None:
    """Entry point of ``aimwell assurance`` and ``python -m aimwell.assurance``."""
    try:
        code = run(sys.argv[1:])
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = 130
    except BrokenPipeError:
        # `aimwell assurance report ... | head`: stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
