"""Shared fixtures: seeded logs written once per session, assessed once per mode."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pytest

from aimwell.assurance import ColumnSpec, assess

from .synth import make_log, write

N_ROWS = 100_000
FEATURES = ("f0", "f1", "f2", "age", "channel")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str) -> CliResult:
    """Run `aimwell assurance ARGS` in this process, capturing what it prints."""
    from aimwell.assurance.cli import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return CliResult(code, out.getvalue(), err.getvalue())


def spec(**kw: Any) -> ColumnSpec:
    base: dict[str, Any] = {
        "label": "label",
        "prediction": "pred",
        "score": "score",
        "sensitive": ("sex", "region"),
        "features": FEATURES,
        "min_group_size": 30,
    }
    base.update(kw)
    return ColumnSpec(**base)


@pytest.fixture(scope="session")
def tables() -> dict[str, pa.Table]:
    return {"current": make_log(N_ROWS, 1, shift=0.1), "reference": make_log(N_ROWS, 2)}


@pytest.fixture(scope="session")
def logs(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, pa.Table]) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("logs")
    return {
        "current": write(tables["current"], d, "current", parts=2),
        "reference": write(tables["reference"], d, "reference"),
    }


@pytest.fixture(scope="session")
def reports(logs: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """(format, drift mode) -> AssuranceReport with the DuckDB backend."""
    out = {}
    for fmt in ("parquet", "csv"):
        for mode in ("exact", "profile"):
            out[(fmt, mode)] = assess(
                logs["current"][fmt], spec(), reference=logs["reference"][fmt], drift_mode=mode
            )
    return out


def assert_close(a: Any, b: Any, rel: float = 1e-9, path: str = "") -> None:
    """Recursive comparison of to_dict() trees: ints and strings equal, floats to ``rel``."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys {set(a) ^ set(b)}"
        for k in a:
            assert_close(a[k], b[k], rel, f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, rel, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, f"{path}: {a} vs {b}"
        assert a == pytest.approx(b, rel=rel, abs=1e-12), f"{path}: {a} vs {b}"
    else:
        assert a == b, f"{path}: {a!r} vs {b!r}"


@pytest.fixture(scope="session")
def spark() -> Any:
    """ONE local Spark session for the whole test run (it takes ~15-25 s to start)."""
    from aimwell.assurance.backends.spark import local_session

    session = local_session(master="local[2]", shuffle_partitions=4)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
