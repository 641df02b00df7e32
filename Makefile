# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs are development runs; production sets DEBUG=0 and a SECRET_KEY of its own.
export DEBUG ?= 1
# The development settings (DEBUG=1 and a generated SECRET_KEY) that config/settings.py reads, so
# that manage.py works as the README shows it without setting anything by hand. Git-ignored.
ENV_FILE ?= .env

# The first interpreter >= 3.12 on the PATH (pyenv reads .python-version for the versioned names).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)

.PHONY: help run test test-postgres lint format lock setup browser bench bench-smoke bench-tools clean eval

help:
	@echo "make run            install into $(VENV), migrate, load the seeds, serve on http://$(HOST):$(PORT)"
	@echo "make test           the same set-up, then the test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make test-postgres  the test suite against the local PostgreSQL server"
	@echo "make lint           ruff check, format check and mypy (django-stubs, DRF stubs)"
	@echo "make bench          the benchmark (BENCH_CLAIMS=1000000): writes docs/benchmarks.md"
	@echo "make eval           the attribution extractor's quality report on its evaluation sets"
	@echo "make lock           re-resolve the dependencies into requirements.lock"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed and none was found on the PATH" >&2; \
		echo "       (looked for python3.14, python3.13, python3.12, python3, python)." >&2; \
		echo "       Install one (e.g. 'apt-get install python3' on a recent Debian, or pyenv) or pass PYTHON=/path/to/python3.12." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

# Written once; the environment wins over it. Production has no such file (and DEBUG off).
$(ENV_FILE):
	@if [ -z "$(PYTHON)" ]; then echo "error: Python 3.12 or newer is needed" >&2; exit 1; fi
	@umask 077 && { \
		echo "# Development settings written by 'make setup' (git-ignored); the environment wins."; \
		echo "DEBUG=1"; \
		echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	} > $@.tmp && mv $@.tmp $@
	@echo "Wrote $@ (DEBUG=1 and a new SECRET_KEY) for manage.py in development."

setup: $(VENV)/.installed $(ENV_FILE)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seeds

run: setup
	$(BIN)/python manage.py ensure_editor
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# One test process per core (pytest-xdist; TEST_WORKERS=0 runs the suite in this process alone).
# `--dist load` hands each process its tests in the suite's order, so the tests that commit and
# then empty the database still run after the others in every process, as pytest-django orders
# them (work stealing would not keep that order).
TEST_WORKERS ?= auto
test: setup browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium; installed here when this user may (root on Debian).
# The accessibility tests run axe-core, pinned, from the npm registry into .e2e/ (git-ignored):
# installed here, never fetched while the tests run.
AXE_CORE_VERSION := 4.14.1
AXE_CORE := .e2e/node_modules/axe-core
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium for the browser tests (Debian: chromium chromium-driver)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo "note: no Chromium at /usr/bin/chromium: the browser tests will be skipped"; \
		echo "      (as root: apt-get install chromium chromium-driver)"; \
	fi
	@if grep -qs '"version": "$(AXE_CORE_VERSION)"' $(AXE_CORE)/package.json; then exit 0; fi; \
	if command -v npm >/dev/null 2>&1; then \
		echo "Installing axe-core $(AXE_CORE_VERSION) for the accessibility tests into .e2e/"; \
		npm install --no-save --no-audit --no-fund --prefix .e2e axe-core@$(AXE_CORE_VERSION) >/dev/null; \
	else \
		echo "note: no npm: the accessibility tests will be skipped (install Node.js and npm)"; \
	fi

test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

# The benchmark (docs/benchmarks.md): builds or reuses a corpus in SQLite and PostgreSQL, serves it
# with gunicorn beside Datasette and a bare view: first while a writer process adds an attribution a
# second and four readers ask URLs nobody asked before (the server and the writer share the Redis
# database at BENCH_REDIS_URL, which it empties: default redis://127.0.0.1:6379/14), then in steady
# state with wrk. Not part of `make test`.
BENCH_CLAIMS ?= 1000000
BENCH_DURATION ?= 10
BENCH_CONNECTIONS ?= 4
BENCH_OUT ?= docs/benchmarks.md
BENCH_VENV := .bench-venv
DATASETTE_VERSION := 0.65.5

bench: $(VENV)/.installed bench-tools
	$(BIN)/python manage.py bench --claims $(BENCH_CLAIMS) --duration $(BENCH_DURATION) \
		--connections $(BENCH_CONNECTIONS) --out $(BENCH_OUT) --datasette $(BENCH_VENV)/bin/datasette \
		$(BENCH_FLAGS)

# CI's smoke run: a small corpus and short loads, to show the benchmark works end to end.
bench-smoke:
	$(MAKE) bench BENCH_CLAIMS=3000 BENCH_DURATION=2 BENCH_OUT=data/bench/smoke.md BENCH_FLAGS=--strict

bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "error: the benchmark needs wrk (Debian: apt-get install wrk)" >&2; exit 1; fi; }
	@[ -x $(BENCH_VENV)/bin/datasette ] || { $(PYTHON) -m venv $(BENCH_VENV) && \
		$(BENCH_VENV)/bin/python -m pip install --quiet datasette==$(DATASETTE_VERSION); }

# The attribution extractor's quality report: its evaluation sets, the seed article, its speed.
eval: $(VENV)/.installed
	$(BIN)/python -m articles.suggest.evaluate

# mypy's Django plugin imports config.settings, which needs DEBUG=1 (or a SECRET_KEY of its own).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(BIN)/python
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Exact versions a fresh install resolves to; regenerate with 'make lock'."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | sort; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache
