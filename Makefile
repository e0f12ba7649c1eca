# OCOP Hub — `make run` serves the site, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
PY := $(BIN)/python
# pip warns about local wheel folders that some machines configure but do not have
QUIET_PIP := { grep -v 'is ignored: it is neither a file nor a directory' || true; }
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help venv setup run test lint scan format bench system-deps clean

help:
	@echo "make run    set up everything and serve the site on http://127.0.0.1:$(PORT)"
	@echo "make test   set up everything, lint, run the whole suite (DATABASE_URL selects PostgreSQL)"
	@echo "make bench  measure speed against the raw SQL of the same rows, on a generated database"
	@echo "make lint   ruff format --check, ruff check, the import contracts and mypy"
	@echo "make scan   bandit over src/ (reviewed exceptions: security/bandit-exceptions.toml)"
	@echo "make format rewrite the code with ruff"

$(STAMP):
	@set -e; \
	python=$$(scripts/find-python); \
	if [ -x "$(PY)" ] && ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "==> $(VENV) was made with an old Python; making it again"; rm -rf "$(VENV)"; fi; \
	if [ ! -x "$(PY)" ]; then echo "==> creating $(VENV) with $$python"; "$$python" -m venv "$(VENV)"; fi; \
	echo "==> installing the locked dependencies (requirements.lock)"; \
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock 2>&1 | $(QUIET_PIP); \
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . 2>&1 | $(QUIET_PIP); \
	rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

setup: venv
	@$(BIN)/ocophub setup --demo

run: setup
	@$(BIN)/ocophub collectstatic --noinput --verbosity 0
	@$(BIN)/ocophub welcome --port $(PORT)
	@set -e; \
	DEBUG=$${DEBUG:-0} HTTPS=$${HTTPS:-0} $(BIN)/ocophub db_worker --queue-name '*' & worker=$$!; \
	( while true; do $(BIN)/ocophub run_daily >/dev/null; sleep 3600; done ) & daily=$$!; \
	trap 'kill $$worker $$daily 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-0} HTTPS=$${HTTPS:-0} PORT=$(PORT) VENV=$(VENV) scripts/serve

# Chromium drives the browser journeys, gettext checks the translation catalogue, pg_dump makes
# PostgreSQL backups and wrk loads the app server in `make bench` (and its test). On a Debian machine
# where we are root they are installed when missing; elsewhere the message says what to do.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/chromedriver ] || missing="$$missing chromium-driver"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "==> installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "The tests need the Debian packages:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

lint: venv
	@echo "==> ruff format --check"; $(BIN)/ruff format --check src tests bench lint
	@echo "==> ruff check"; $(BIN)/ruff check src tests bench lint
	@echo "==> import contracts (layers, private names)"; $(BIN)/lint-imports --no-cache | tail -n +10
	@echo "==> mypy"; $(BIN)/mypy

scan: venv
	@echo "==> bandit (medium and higher)"; $(PY) scripts/bandit-check

format: venv
	@$(BIN)/ruff format src tests bench && $(BIN)/ruff check --fix src tests bench

test: venv system-deps lint
	@echo "==> checking migrations are complete"; $(BIN)/ocophub makemigrations --check --dry-run >/dev/null
	@echo "==> pytest on $${DATABASE_URL:-SQLite}" | sed -E 's#//([^:@/]+)(:[^@]*)?@#//\1@#'
	@$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

# The bench makes and reuses its own database (var/bench/, or <name>_bench with DATABASE_URL); a quick try:
# make bench BENCH_ARGS="--products 5000 --centers 20 --sale-lines 20000 --quick"
bench: venv system-deps
	@$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/test*.sqlite3* .pytest_cache .ruff_cache staticfiles
