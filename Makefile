# Two commands: `make run` sets up and serves on SQLite; `make test` runs exactly what CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck openapi e2e fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

.env:
	$(PYTHON) scripts/write_env.py .env

# The one background worker (daily reminders, scheduled monitors and their runs, webhooks, audit
# anchors, MLflow syncs) runs beside the server and stops with it.
run: $(STAMP) .env
	$(BIN)/aimwell migrate
	$(BIN)/aimwell demo
	$(BIN)/aimwell worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/aimwell serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

openapi: $(DEV_STAMP)
	$(BIN)/python scripts/openapi.py write

# Everything CI runs: lint, types, migrations, layers, OpenAPI diff, the suite on SQLite, and the
# database-touching tests again on PostgreSQL when a server answers (or when CI asks for it).
test: $(DEV_STAMP)
	bash scripts/test.sh

# schemathesis against a live server: every API operation with generated valid and invalid input
# (fuzz/test_api_fuzzing.py says what it checks and what it leaves out). `make test` runs a short,
# fixed version; this one adds the coverage phase and more cases (each setting can be overridden).
fuzz: $(DEV_STAMP)
	AIMWELL_FUZZ_PHASES=$${AIMWELL_FUZZ_PHASES:-coverage,fuzzing} \
	AIMWELL_FUZZ_EXAMPLES=$${AIMWELL_FUZZ_EXAMPLES:-10} \
	AIMWELL_FUZZ_LIMIT=$${AIMWELL_FUZZ_LIMIT:-3600} \
	DJANGO_SETTINGS_MODULE=aimwell.test_settings $(BIN)/pytest fuzz -p no:xdist -p no:cacheprovider -rP

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
