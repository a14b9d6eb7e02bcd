"""Generative-AI evaluation logs: pass and refusal rates with Wilson intervals against counts
worked out by hand (and SciPy's Wilson interval), group gaps, regression between two runs,
and a one-line error for each kind of bad input."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from scipy.stats import binomtest

from aimwell.assurance.tests.conftest import run_cli
from aimwell.generative_evaluation import GenerativeSpec, assess_generative

Z95 = 1.959963984540054
SCHEMA = json.loads((Path(__file__).parents[2] / "assurance" / "report.schema.json").read_text())

# (category, language): (test cases, passed, refused). Chosen so that the figures below can be
# worked out on paper.
CELLS = {
    ("accuracy", "en"): (40, 36, 2),
    ("accuracy", "de"): (40, 30, 4),
    ("jailbreak", "en"): (35, 33, 20),
    ("jailbreak", "de"): (35, 20, 8),
    ("privacy-leak", "en"): (10, 9, 1),
    ("privacy-leak", "de"): (10, 10, 0),
}


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval, written out from its closed formula."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def write_rows(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


Cells = dict[tuple[str, str], tuple[int, int, int]]


def cases(cells: Cells, run: str = "") -> list[dict[str, Any]]:
    rows = []
    for (category, language), (n, passed, refused) in cells.items():
        for i in range(n):
            row = {
                "case": f"{category}-{language}-{i}",
                "category": category,
                "language": language,
                "verdict": "PASS" if i < passed else "fail",
                "refused": "yes" if i >= n - refused else "no",
            }
            if run:
                row["run"] = run
            rows.append(row)
    return rows


@pytest.fixture(scope="module")
def fixture_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = cases(CELLS)
    # Two cases without a verdict (a grader timed out): excluded from the pass rate.
    rows += [{**rows[0], "case": f"timeout-{i}", "verdict": "", "refused": ""} for i in range(2)]
    return write_rows(tmp_path_factory.mktemp("gen") / "eval.csv", rows)


def spec(**kw: Any) -> GenerativeSpec:
    base: dict[str, Any] = {
        "category": "category",
        "outcome": "verdict",
        "sensitive": "language",
        "refusal": "refused",
    }
    return GenerativeSpec(**{**base, **kw})


def test_pass_and_refusal_rates_equal_hand_counts(fixture_log: Path) -> None:
    g = assess_generative(fixture_log, spec()).generative
    # Totals by hand: accuracy 66/80, jailbreak 53/70, privacy-leak 19/20; en 78/85, de 60/85.
    expected_pass = {"accuracy": (66, 80), "jailbreak": (53, 70), "privacy-leak": (19, 20)}
    assert {c.category: (c.passed, c.n) for c in g.by_category} == expected_pass
    assert {c.group: (c.passed, c.n) for c in g.by_group} == {"en": (78, 85), "de": (60, 85)}
    assert (g.overall.passed, g.overall.n, g.overall.n_excluded) == (138, 170, 2)
    assert g.overall.n_rows == 172
    every = [g.overall, *g.by_category, *g.by_group, *g.by_category_group]
    assert len(g.by_category_group) == 6
    for cell in every:
        assert cell.pass_rate == pytest.approx(cell.passed / cell.n, rel=1e-15)
        low, high = wilson(cell.passed, cell.n)
        ref = binomtest(cell.passed, cell.n).proportion_ci(0.95, method="wilson")
        assert cell.pass_interval is not None
        assert cell.pass_interval.low == pytest.approx(low, abs=1e-12)
        assert cell.pass_interval.low == pytest.approx(ref.low, abs=1e-9)
        assert cell.pass_interval.high == pytest.approx(min(high, 1.0), abs=1e-12)
        assert cell.pass_interval.high == pytest.approx(ref.high, abs=1e-9)
    accuracy_de = next(
        c for c in g.by_category_group if (c.category, c.group) == ("accuracy", "de")
    )
    assert (accuracy_de.passed, accuracy_de.n) == (30, 40)
    # Refusals by hand: 35 of 170 flagged rows (the two timeouts have no flag).
    assert (g.overall.refused, g.overall.n_refusal) == (35, 170)
    refusals = {c.category: (c.refused, c.n_refusal) for c in g.by_category}
    assert refusals == {"accuracy": (6, 80), "jailbreak": (28, 70), "privacy-leak": (1, 20)}
    assert {c.group: (c.refused, c.n_refusal) for c in g.by_group} == {
        "en": (23, 85),
        "de": (12, 85),
    }
    jailbreak = next(c for c in g.by_category if c.category == "jailbreak")
    assert jailbreak.refusal_rate == pytest.approx(0.4)
    assert jailbreak.refusal_interval is not None
    assert jailbreak.refusal_interval.low == pytest.approx(wilson(28, 70)[0], abs=1e-12)
    privacy = next(c for c in g.by_category if c.category == "privacy-leak")
    assert (privacy.pass_interval.low, privacy.pass_interval.high) == pytest.approx(  # type: ignore[union-attr]
        (wilson(19, 20)[0], wilson(19, 20)[1]), abs=1e-12
    )


def test_group_gaps_warn_only_when_intervals_are_apart(fixture_log: Path) -> None:
    report = assess_generative(fixture_log, spec())
    g = report.generative
    gaps = {x.scope: x for x in g.group_gaps}
    # en 78/85 against de 60/85: 0.2118 apart, Wilson intervals [0.84, 0.96] and [0.60, 0.79].
    overall = gaps["all categories"]
    assert (overall.highest_group, overall.lowest_group) == ("en", "de")
    assert overall.gap == pytest.approx(78 / 85 - 60 / 85)
    assert wilson(60, 85)[1] < wilson(78, 85)[0]
    assert overall.status == "warning" and overall.intervals_overlap is False
    # accuracy: 36/40 against 30/40 is a gap of 0.15 but the intervals overlap: no warning.
    assert wilson(30, 40)[1] > wilson(36, 40)[0]
    assert gaps["category accuracy"].gap == pytest.approx(0.15)
    assert gaps["category accuracy"].status == "ok"
    # privacy-leak has 10 cases per language: below the minimum size, not judged.
    assert gaps["category privacy-leak"].status == "not_judged"
    assert g.largest_group_gap is not None
    assert g.largest_group_gap.scope == "category jailbreak"
    assert g.largest_group_gap.gap == pytest.approx(33 / 35 - 20 / 35)
    assert report.status == "warning" and not g.comparisons
    assert any("privacy-leak, language=en (10)" in line for line in report.headline)


def test_score_column_with_pass_threshold(tmp_path: Path) -> None:
    rows = [
        {"category": "accuracy", "grade": g}
        for g in ("9", "7", "7.0", "6.99", "3", "", "nan", "10", "7.5", "1")
    ]
    log = write_rows(tmp_path / "graded.csv", rows)
    g = assess_generative(
        log, GenerativeSpec(category="category", score="grade", pass_threshold=7)
    ).generative
    # grade >= 7: 9, 7, 7.0, 10, 7.5 pass; 6.99, 3, 1 fail; empty and NaN have no score.
    assert (g.overall.passed, g.overall.n, g.overall.n_excluded) == (5, 8, 2)
    assert g.pass_rule == "grade >= 7"


# ---------------------------------------------------------------------------- two runs
BASELINE = {("accuracy", "en"): (50, 45, 0), ("jailbreak", "en"): (50, 45, 5)}
REGRESSED = {("accuracy", "en"): (50, 44, 0), ("jailbreak", "en"): (50, 25, 2)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("runs")
    return {
        "regressed": write_rows(
            folder / "regressed.csv", cases(BASELINE, "2026-09") + cases(REGRESSED, "2026-10")
        ),
        "steady": write_rows(
            folder / "steady.csv", cases(BASELINE, "2026-09") + cases(BASELINE, "2026-10")
        ),
        "baseline": write_rows(folder / "baseline.csv", cases(BASELINE)),
        "current": write_rows(folder / "current.csv", cases(REGRESSED)),
    }


def test_a_run_that_regresses_is_flagged(runs: dict[str, Path]) -> None:
    report = assess_generative(runs["regressed"], spec(sensitive=None, run="run"))
    g = report.generative
    assert (g.baseline, g.current_run) == ("2026-09", "2026-10")
    by_cat = {c.category: c for c in g.comparisons}
    jailbreak, accuracy = by_cat["jailbreak"], by_cat["accuracy"]
    # jailbreak 45/50 -> 25/50: Wilson [0.786, 0.957] against [0.366, 0.634], far apart.
    assert wilson(25, 50)[1] < wilson(45, 50)[0]
    assert jailbreak.regression and not jailbreak.improvement
    assert jailbreak.change == pytest.approx(0.5 - 0.9)
    assert (jailbreak.baseline_refusal_rate, jailbreak.current_refusal_rate) == (0.1, 0.04)
    # Newcombe's hybrid score interval, from the two Wilson intervals by hand.
    l1, u1 = wilson(25, 50)
    l2, u2 = wilson(45, 50)
    d = 0.5 - 0.9
    assert jailbreak.change_interval is not None
    assert jailbreak.change_interval.low == pytest.approx(
        d - math.sqrt((0.5 - l1) ** 2 + (u2 - 0.9) ** 2), abs=1e-12
    )
    assert jailbreak.change_interval.high == pytest.approx(
        d + math.sqrt((u1 - 0.5) ** 2 + (0.9 - l2) ** 2), abs=1e-12
    )
    # accuracy 45/50 -> 44/50 is noise: not a regression.
    assert not accuracy.regression and accuracy.judged
    assert by_cat[None].regression  # 90/100 -> 69/100 over both categories
    assert g.regressions == ["all categories", "jailbreak"]
    assert report.status == "alert" and report.headline[0].startswith("Pass rate regressed")
    # Rates of the report are the current run's.
    assert (g.overall.passed, g.overall.n) == (69, 100)


def test_a_run_that_does_not_regress_is_not_flagged(runs: dict[str, Path]) -> None:
    report = assess_generative(runs["steady"], spec(sensitive=None, run="run"))
    g = report.generative
    assert [c.regression or c.improvement for c in g.comparisons] == [False, False, False]
    assert all(c.change == 0 for c in g.comparisons) and report.status == "ok"
    # Reversing the runs turns the regression into an improvement, not a regression.
    reversed_ = assess_generative(
        runs["regressed"],
        spec(sensitive=None, run="run", baseline_run="2026-10", current_run="2026-09"),
    ).generative
    jailbreak = next(c for c in reversed_.comparisons if c.category == "jailbreak")
    assert jailbreak.improvement and not reversed_.regressions


def test_baseline_log_gives_the_same_comparison_as_run_ids(runs: dict[str, Path]) -> None:
    by_runs = assess_generative(runs["regressed"], spec(sensitive=None, run="run")).generative
    report = assess_generative(runs["current"], spec(sensitive=None), runs["baseline"])
    by_logs = report.generative
    strip = ("baseline", "current_run")
    assert [c.to_dict() for c in by_logs.comparisons] == [c.to_dict() for c in by_runs.comparisons]
    assert {k: v for k, v in by_logs.to_dict().items() if k not in strip} == {
        k: v for k, v in by_runs.to_dict().items() if k not in strip
    }
    assert report.reference is not None and report.reference.endswith("baseline.csv")


def test_cli_in_a_fresh_process(runs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    args = [sys.executable, "-m", "aimwell.assurance", "report", str(runs["regressed"]),
            "--task", "generative", "--category", "category", "--outcome", "verdict",
            "--refusal", "refused", "--run-id", "run", "--output", str(out), "--quiet"]  # fmt: skip
    done = subprocess.run(
        [*args, "--fail-on", "alert"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "status: alert"
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["schema_version"] == "2.1" and data["spec"]["task"] == "generative"
    assert data["generative"]["regressions"] == ["all categories", "jailbreak"]
    steady = [a if a != str(runs["regressed"]) else str(runs["steady"]) for a in args]
    done = subprocess.run(
        [*steady, "--fail-on", "warning"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_every_report_format(fixture_log: Path, tmp_path: Path) -> None:
    args = ["report", str(fixture_log), "--task", "generative", "--category", "category",
            "--outcome", "verdict", "--sensitive", "language", "--refusal", "refused",
            "--confidence", "0.9"]  # fmt: skip
    assert run_cli(*args, "--output", str(tmp_path / "r.html")).exit_code == 0
    html = (tmp_path / "r.html").read_text()
    assert "Generative-AI evaluation" in html and "category=jailbreak, language=de" in html
    lo, hi = wilson(53, 70, z=1.6448536269514722)
    assert f"0.757 [{lo:.3f}, {hi:.3f}]" in html  # jailbreak at 90 %
    assert run_cli(*args, "--output", str(tmp_path / "r.md")).exit_code == 0
    assert "Largest group gap: 0.371 in category jailbreak" in (tmp_path / "r.md").read_text()
    result = run_cli(*args, "--out", str(tmp_path / "dir"))
    assert result.exit_code == 0 and result.stdout.strip() == "status: warning"
    data = json.loads((tmp_path / "dir" / "report.json").read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["generative"]["confidence"] == 0.9


# ---------------------------------------------------------------------------- bad input
def _bad(tmp_path: Path, name: str, rows: list[dict[str, Any]]) -> str:
    return str(write_rows(tmp_path / name, rows))


BAD_CASES: list[tuple[str, list[dict[str, Any]], list[str], str]] = [
    ("missing-column", [{"topic": "a", "verdict": "pass"}], [],
     "category column 'category' not found; available columns: topic, verdict"),
    ("unknown-outcome", [{"category": "a", "verdict": v} for v in ("pass", "PASSED", "error")],
     [], "outcome column 'verdict' holds values other than pass/fail, true/false or 0/1; "
     "values found: 'PASSED', 'error'"),
    ("numeric-outcome", [{"category": "a", "verdict": v} for v in (0, 1, 2)], [],
     "values found: '2'"),
    ("unknown-refusal", [{"category": "a", "verdict": "pass", "refused": "maybe"}],
     ["--refusal", "refused"], "refusal column 'refused' holds values other than true/false, "
     "yes/no or 0/1; values found: 'maybe'"),
    ("empty-category", [{"category": c, "verdict": "pass"} for c in ("a", "", "b")], [],
     "category column 'category' is empty in 1 of 3 rows"),
    ("three-runs", [{"category": "a", "verdict": "pass", "run": r} for r in "xyz"],
     ["--run-id", "run"], "holds 3 runs; choose two with --baseline-run and --current-run; "
     "runs found: 'x', 'y', 'z'"),
    ("unknown-run", [{"category": "a", "verdict": "pass", "run": r} for r in "xy"],
     ["--run-id", "run", "--baseline-run", "w"], "run 'w' is not in the run id column"),
    ("too-many-categories", [{"category": f"c{i}", "verdict": "pass"} for i in range(5)],
     ["--max-groups", "4"], "has 5 distinct values, more than --max-groups 4"),
    # An id column taken for the category: more cells than the counting pass returns.
    ("id-as-category", [{"category": f"case-{i}", "verdict": "pass"} for i in range(40)],
     ["--max-groups", "2"], "has 40 distinct values, more than --max-groups 2"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "extra", "message"), BAD_CASES)
def test_bad_log_is_one_line_error(
    tmp_path: Path, name: str, rows: list[dict[str, Any]], extra: list[str], message: str
) -> None:
    out = tmp_path / "out.json"
    result = run_cli("report", _bad(tmp_path, f"{name}.csv", rows), "--task", "generative",
                     "--category", "category", "--outcome", "verdict", *extra,
                     "--output", str(out))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()


BAD_OPTIONS: list[tuple[list[str], str]] = [
    (["--outcome", "verdict"], "--task generative needs --category COLUMN"),
    (["--category", "category"], "give either an outcome column"),
    (["--category", "category", "--outcome", "verdict", "--score", "grade",
      "--pass-threshold", "5"], "not both"),
    (["--category", "category", "--score", "grade"], "needs a pass threshold"),
    (["--category", "category", "--score", "verdict", "--pass-threshold", "5"],
     "score column 'verdict' has type string; expected numeric"),
    (["--category", "category", "--outcome", "verdict", "--label", "verdict"],
     "--label does not apply to --task generative"),
    (["--category", "category", "--outcome", "verdict", "--sensitive", "a", "--sensitive", "b"],
     "at most one --sensitive"),
    (["--category", "category", "--outcome", "verdict", "--run-id", "run", "--baseline", "b.csv"],
     "either with a baseline log or with a run id column, not both"),
    (["--category", "category", "--outcome", "verdict", "--confidence", "1.5"],
     "confidence must be in (0, 1)"),
    (["--category", "category", "--outcome", "verdict", "--baseline", "nowhere.csv"],
     "log not found: nowhere.csv"),
    (["--category", "category", "--outcome", "verdict", "--current-run", "x"],
     "need the run id column"),
]  # fmt: skip


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_bad_options_are_one_line_errors(
    fixture_log: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    result = run_cli("report", str(fixture_log), "--task", "generative", *options,
                     "--output", str(tmp_path / "r.json"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "r.json").exists()


def test_generative_options_need_the_generative_task(fixture_log: Path) -> None:
    result = run_cli("report", str(fixture_log), "--label", "verdict", "--category", "category")
    assert result.exit_code == 2
    assert "--category applies to --task generative only" in result.stderr


def test_baseline_log_is_validated_like_the_log(fixture_log: Path, tmp_path: Path) -> None:
    baseline = _bad(tmp_path, "baseline.csv", [{"category": "a", "result": "pass"}])
    result = run_cli("report", str(fixture_log), "--task", "generative", "--category",
                     "category", "--outcome", "verdict", "--baseline", baseline)  # fmt: skip
    assert result.exit_code == 2
    assert "baseline outcome column 'verdict' not found; available columns: category, result" in (
        result.stderr
    )
