"""Scripting the CLI: one --output file in JSON/Markdown/HTML, the versioned JSON schema,
documented exit codes, and a start-up that loads only what `aimwell assurance` needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aimwell.assurance.results import REPORT_SCHEMA_VERSION

from .conftest import run_cli

SCHEMA = json.loads((Path(__file__).parents[1] / "report.schema.json").read_text())


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(5)
    n = 4_000
    group = rng.choice(["a", "b"], n)
    score = rng.random(n)
    # Group b is selected far less often: a demographic-parity alert by the four-fifths rule.
    pred = (score > np.where(group == "a", 0.3, 0.8)).astype(int)
    table = pa.table(
        {"y": rng.integers(0, 2, n), "yhat": pred, "p": score, "g": group, "x": rng.normal(size=n)}
    )
    path = tmp_path_factory.mktemp("scripting") / "log.parquet"
    pq.write_table(table, path)
    return path


BASE = ["--label", "y", "--prediction", "yhat", "--score", "p", "--sensitive", "g"]


def _run(*args: str) -> Any:
    return run_cli("report", *args)


def test_output_json_follows_the_versioned_schema(log: Path, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "r.json"
    result = _run(str(log), *BASE, "--output", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    assert data["fairness"]["status"] == "alert"
    assert not (tmp_path / "assurance-report").exists()
    assert list(out.parent.iterdir()) == [out]  # one file, nothing else


def test_reports_without_fairness_and_with_drift_follow_the_schema(
    log: Path, tmp_path: Path
) -> None:
    result = _run(str(log), "--label", "y", "--prediction", "yhat", "--reference", str(log),
                  "--output", str(tmp_path / "d.json"))  # fmt: skip
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads((tmp_path / "d.json").read_text()), SCHEMA)


def test_markdown_and_html_by_suffix_or_format(log: Path, tmp_path: Path) -> None:
    assert _run(str(log), *BASE, "--output", str(tmp_path / "r.md")).exit_code == 0
    md = (tmp_path / "r.md").read_text()
    assert md.startswith("# Assurance report: alert")
    assert "| g | alert |" in md
    assert (
        _run(str(log), *BASE, "--output", str(tmp_path / "r.txt"), "--format", "html").exit_code
        == 0
    )
    assert (tmp_path / "r.txt").read_text().startswith("<!DOCTYPE html>")
    unknown = _run(str(log), *BASE, "--output", str(tmp_path / "r.txt"))
    assert unknown.exit_code == 2 and "add --format json, md or html" in unknown.output
    assert (
        _run(str(log), *BASE, "--output", str(tmp_path / "r.x"), "--format", "pdf").exit_code == 2
    )


def test_exit_codes_for_fail_on(log: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "r.json")
    assert _run(str(log), *BASE, "--output", out).exit_code == 0  # alert, but no --fail-on
    breach = _run(str(log), *BASE, "--output", out, "--fail-on", "alert")
    assert breach.exit_code == 1
    assert json.loads(Path(out).read_text())["status"] == "alert"  # written all the same
    # Without the sensitive attribute nothing is judged beyond performance: status ok.
    calm = _run(str(log), "--label", "y", "--prediction", "yhat", "--output", out, "--fail-on",
                "warning")  # fmt: skip
    assert calm.exit_code == 0, calm.output
    assert _run(str(log), *BASE, "--output", out, "--fail-on", "panic").exit_code == 2
    assert _run(str(tmp_path / "missing.parquet"), *BASE, "--output", out).exit_code == 2


def test_memory_limit_is_checked(log: Path, tmp_path: Path) -> None:
    ok = _run(str(log), *BASE, "--output", str(tmp_path / "r.json"), "--memory-limit", "64MB",
              "--temp-dir", str(tmp_path / "spill"))  # fmt: skip
    assert ok.exit_code == 0, ok.output
    bad = _run(str(log), *BASE, "--output", str(tmp_path / "r.json"), "--memory-limit", "lots")
    assert bad.exit_code == 2 and "invalid memory limit 'lots'" in bad.output


def test_assurance_help_loads_neither_django_nor_the_engine() -> None:
    probe = (
        "import atexit, sys\n"
        "heavy = ('django', 'duckdb', 'numpy', 'scipy', 'pyarrow', 'polars', 'aimwell.catalog',"
        " 'aimwell.assurance.engine', 'rich.progress')\n"
        "atexit.register(lambda: print('LOADED', [m for m in heavy if m in sys.modules]))\n"
        "sys.argv = ['aimwell', 'assurance', 'report', '--help']\n"
        "from aimwell.entry import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "usage: aimwell assurance report" in done.stdout
    assert "LOADED []" in done.stdout


def test_other_commands_still_reach_the_full_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['aimwell', '--help'];"
         "from aimwell.entry import main; main()"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "assurance" in done.stdout and "migrate" in done.stdout
