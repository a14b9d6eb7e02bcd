#!/usr/bin/env bash
# What `make test` and CI run, in order; stops at the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=aimwell.test_settings
PG_URL="${AIMWELL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
# One pytest worker per core (each with its own test database); AIMWELL_TEST_WORKERS=0 runs in
# one process.
WORKERS="${AIMWELL_TEST_WORKERS:-auto}"

step() { printf '\n== %s\n' "$*"; }

step "the repository refers to no path outside itself"
$BIN/python scripts/check_self_contained.py
step "ruff (lint and format)"
$BIN/ruff check .
$BIN/ruff format --check .
step "import-linter (layers)"
$BIN/lint-imports
step "mypy"
$BIN/mypy
step "migrations are up to date"
$BIN/python -m django makemigrations --check --dry-run
step "OpenAPI schema is committed"
$BIN/python scripts/openapi.py check

step "pytest on SQLite (every test), with line coverage of the package"
rm -f .coverage .coverage.*
DATABASE_URL=sqlite:///:memory: $BIN/pytest -n "$WORKERS" --cov --cov-report=
step "coverage (the least covered modules, the total, and the floor in pyproject.toml)"
$BIN/coverage report | tail -n 12

# Bounded: the fuzzing phase with a fixed seed, three cases per operation (`make fuzz` explores
# further; fuzz/test_api_fuzzing.py says what it checks).
step "schemathesis against a live server (every API operation, fixed seed)"
DATABASE_URL=sqlite:///:memory: $BIN/pytest fuzz -p no:xdist -p no:cacheprovider -rP

pg_answers() { $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}
if pg_answers; then
  step "pytest on PostgreSQL (the tests that touch the database)"
  DATABASE_URL="$PG_URL" AIMWELL_DB_TESTS_ONLY=1 $BIN/pytest -n "$WORKERS" -p no:cacheprovider
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL does not answer at $PG_URL; CI must test it." >&2
  exit 1
else
  echo "NOTE: PostgreSQL does not answer at $PG_URL; its run was not done (CI runs it)."
fi

step "make run from a fresh virtual environment (runtime dependencies only)"
bash scripts/smoke_run.sh 2> >(grep -v "^WARNING: Location" >&2)
