"""The repository refers to no path outside itself, and the check that says so catches each way in
which it did or could (scripts/check_self_contained.py, run by `make test`)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_self_contained.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_self_contained", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_repository_refers_to_nothing_outside_it():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _tree(tmp_path: Path, relative: str, text: str) -> Path:
    root = tmp_path / "clone"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return root


@pytest.mark.parametrize(
    ("relative", "text", "line"),
    [
        # the reference facts read from a folder beside the checkout (how issue 22 was found)
        (
            "aimwell/catalog/tests/test_x.py",
            "from pathlib import Path\n"
            "ROOT = Path(__file__).resolve().parents[3]\n"
            "REFERENCE = ROOT.parent / 'shared' / 'reference'\n",
            3,
        ),
        ("aimwell/x.py", "from pathlib import Path\nP = Path(__file__).parents[5]\n", 2),
        ("scripts/run.sh", "#!/bin/sh\ncat " + ".." + "/shared/reference/x.json\n", 2),
        ("benchmarks/b.py", "DATA = '" + ".." + "/data/logs.csv'\n", 1),
        ("tests/t.py", "PATH = '/" + "work/shared/x.json'\n", 1),
    ],
)
def test_each_way_out_of_the_repository_is_reported(tmp_path, relative, text, line):
    root = _tree(tmp_path, relative, text)
    found = _checker().problems(root)
    assert [hit.split(":")[:2] for hit in found] == [[relative, str(line)]]


def test_paths_inside_the_repository_pass(tmp_path):
    root = _tree(
        tmp_path,
        "aimwell/catalog/tests/test_x.py",
        "from pathlib import Path\n"
        "ROOT = Path(__file__).resolve().parents[3]\n"
        "DATA = ROOT / 'aimwell' / 'data'\n"
        "HERE = Path(__file__).resolve().parent / 'reference'\n"
        "VERSION = '1.2.3'  # dots that are not a path\n",
    )
    assert _checker().problems(root) == []
