"""The generative-evaluation options of ``aimwell assurance report --task generative``: their
argument group, and the evaluation's configuration read from them. Only the standard library and
the configuration load here, so the command's start-up stays light."""

from __future__ import annotations

import argparse

from .spec import GenerativeSpec


def add_generative_options(r: argparse.ArgumentParser) -> None:
    g = r.add_argument_group(
        "generative-AI evaluation logs (--task generative)",
        "One row per test case. The sensitive group is --sensitive (at most one); a score "
        "column is --score with --pass-threshold.",
    )
    g.add_argument("--category", help="Test category column (required).")
    g.add_argument("--outcome",
                   help="Pass/fail column: boolean, 0/1, or the text pass/fail.")  # fmt: skip
    g.add_argument("--pass-threshold", type=float,
                   help="With --score: a test case passes when score >= this.")  # fmt: skip
    g.add_argument("--refusal",
                   help="Refusal flag column: boolean, 0/1, true/false or yes/no.")  # fmt: skip
    g.add_argument("--run-id", help="Run id column: a log holding two runs compares them.")
    g.add_argument("--baseline-run", help="With --run-id: the baseline run (default: the "
                   "first of two in text order).")  # fmt: skip
    g.add_argument("--current-run", help="With --run-id: the current run (default: the "
                   "other one).")  # fmt: skip
    g.add_argument("--baseline", help="Baseline evaluation log (instead of --run-id).")


def generative_spec(args: argparse.Namespace) -> GenerativeSpec:
    return GenerativeSpec(
        category=args.category,
        outcome=args.outcome,
        score=args.score,
        pass_threshold=args.pass_threshold,
        sensitive=args.sensitive[0] if args.sensitive else None,
        refusal=args.refusal,
        run=args.run_id,
        baseline_run=args.baseline_run,
        current_run=args.current_run,
        min_group_size=args.min_group_size,
        confidence=args.confidence,
        max_groups=args.max_groups,
    )
