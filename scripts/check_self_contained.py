"""Fail when code in the repository refers to a path outside it.

The suite, the scripts and the benchmarks must work in a clone with nothing beside it (a
contributor's, a packager's or a user's CI has only the repository). This finds, in the files
under aimwell/, tests/, scripts/ and benchmarks/:

- a relative path that climbs out of its folder (a dot-dot segment), in any text file;
- a `Path(__file__)` expression (or a name bound to one) whose `.parent` / `.parents[n]` chain
  leaves the repository, in Python files;
- an absolute path into the folder of the workstation this was developed on.

Usage: python scripts/check_self_contained.py [ROOT]   (exit 1 listing every hit)
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

FOLDERS = ("aimwell", "tests", "scripts", "benchmarks")
# Built from pieces so that this file does not report itself.
DOT_DOT = re.compile(r"(?<![.\w])\.\.[/\\]")
MACHINE_PATH = re.compile("/" + "work" + "/")
# Decided classification rule versions are immutable (their content hash is stored when loaded), and
# these two cite the team's reference notes by a workstation path: a source named, never read.
DECIDED_CITATIONS = {
    "aimwell/data/rules/eu-ai-act-classification/2024.1.yaml",
    "aimwell/data/rules/eu-ai-act-classification/2024.2.yaml",
}
BINARY_SUFFIXES = {".png", ".jpg", ".gif", ".ico", ".woff", ".woff2", ".pdf", ".zip", ".xlsx"}


def _files(root: Path) -> list[Path]:
    try:
        listed = subprocess.run(  # noqa: S603 - a fixed git command, no user input
            ["git", "ls-files", "--", *FOLDERS],  # noqa: S607 - git from PATH, as make does
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return [root / name for name in listed]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the folders
        return [p for folder in FOLDERS for p in (root / folder).rglob("*") if p.is_file()]


class _PathEscapes(ast.NodeVisitor):
    """Follows `Path(__file__)` through .resolve(), .parent and .parents[n], and the names bound
    to such an expression."""

    def __init__(self, source: Path, root: Path) -> None:
        self.source = source.resolve()
        self.root = root.resolve()
        self.bound: dict[str, Path] = {}
        self.hits: list[tuple[int, str]] = []

    def _evaluate(self, node: ast.expr) -> Path | None:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "Path" and len(node.args) == 1:
                arg = node.args[0]
                if isinstance(arg, ast.Name) and arg.id == "__file__":
                    return self.source
            if isinstance(func, ast.Attribute) and func.attr in {"resolve", "absolute"}:
                return self._evaluate(func.value)
            return None
        if isinstance(node, ast.Name):
            return self.bound.get(node.id)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self._evaluate(node.value)
            return base.parent if base is not None else None
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "parents"
            and isinstance(node.slice, ast.Constant)
        ):
            base = self._evaluate(node.value.value)
            index = node.slice.value
            if base is not None and isinstance(index, int):
                return base.parents[index] if index < len(base.parents) else Path("/")
        return None

    def _check(self, node: ast.expr) -> None:
        path = self._evaluate(node)
        if path is not None and not path.is_relative_to(self.root):
            self.hits.append((node.lineno, f"leaves the repository ({ast.unparse(node)})"))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        path = self._evaluate(node.value)
        if path is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.bound[target.id] = path

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "parent":
            self._check(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
            self._check(node)
        self.generic_visit(node)


def problems(root: Path) -> list[str]:
    """Every reference to a path outside `root`, as 'file:line: what'."""
    found: list[str] = []
    for path in _files(root):
        if path.suffix in BINARY_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        name = path.relative_to(root)
        for number, line in enumerate(text.splitlines(), start=1):
            if DOT_DOT.search(line):
                found.append(f"{name}:{number}: relative path out of its folder: {line.strip()}")
            if MACHINE_PATH.search(line) and name.as_posix() not in DECIDED_CITATIONS:
                found.append(f"{name}:{number}: absolute path into a workstation: {line.strip()}")
        if path.suffix == ".py":
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            visitor = _PathEscapes(path, root)
            visitor.visit(tree)
            found += [f"{name}:{line}: {what}" for line, what in sorted(set(visitor.hits))]
    return found


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    found = problems(root)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(
            f"{len(found)} reference(s) to paths outside the repository: the suite must run in a "
            "clone with nothing beside it.",
            file=sys.stderr,
        )
        return 1
    print("no path outside the repository is referred to")
    return 0


if __name__ == "__main__":
    sys.exit(main())
