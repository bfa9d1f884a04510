# The Victim Contact Scheme portal. `make run` and `make test` do all set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The newest Python 3.11+ found: python3.13, python3.12, python3.11, then python3
# when it is 3.11 or newer. Set PYTHON=... to choose another (3.11 or newer).
PY_OK := import sys; sys.exit(sys.version_info < (3, 11))
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  $$p -c '$(PY_OK)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := .make
export FLASK_APP := wsgi.py
export PORTAL_ENV ?= development

.PHONY: help run test lint format translate assets bench wrk lighthouse clean chromium \
  compile-translations \
  requirements check-requirements

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	@py='$(PYTHON)'; \
	if [ -z "$$py" ] || ! "$$py" -c '$(PY_OK)' >/dev/null 2>&1; then \
	  echo "Python 3.11 or newer is needed (3.11, 3.12 and 3.13 are supported), found as python3.13," \
	    "python3.12, python3.11 or python3: install one, or set PYTHON=/path/to/python3.x"; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The pinned files are compiled from pyproject.toml (`make requirements`) and
# carry a hash for every file, so pip checks every download against them.
$(STAMP)/runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/dev: requirements-dev.txt $(STAMP)/runtime
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	@mkdir -p $(STAMP) && touch $@

# Compile requirements.txt (the ranges in [project].dependencies) and
# requirements-dev.txt (with the dev extra, keeping the runtime pins) in
# directory $(1), with the settings in [tool.uv.pip]. Versions already pinned
# there are kept when the ranges still allow them.
define compile-requirements
cd $(1) && $(UV) pip compile --quiet --python $(CURDIR)/$(BIN)/python pyproject.toml -o requirements.txt $(UPGRADE) && $(UV) pip compile --quiet --python $(CURDIR)/$(BIN)/python pyproject.toml --extra dev -c requirements.txt -o requirements-dev.txt $(UPGRADE)
endef
UV := $(CURDIR)/$(BIN)/uv

requirements: $(STAMP)/dev ## Compile requirements*.txt from pyproject.toml (UPGRADE=--upgrade for newer releases)
	$(call compile-requirements,.)

# Compiles again in a scratch directory, starting from the pinned versions
# without their hashes (uv would reuse them), and compares.
check-requirements: override UPGRADE :=
check-requirements: $(STAMP)/dev ## Check that requirements*.txt match pyproject.toml (make lint runs it)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp pyproject.toml "$$tmp"/ && \
	for f in requirements.txt requirements-dev.txt; do \
	  grep -v '^ *--hash=' $$f | sed 's/ *\\$$//' > "$$tmp"/$$f || exit 1; \
	done && \
	( $(call compile-requirements,"$$tmp") ) && \
	diff -u requirements.txt "$$tmp"/requirements.txt && \
	diff -u requirements-dev.txt "$$tmp"/requirements-dev.txt || \
	{ echo "requirements.txt or requirements-dev.txt no longer match pyproject.toml: run make requirements"; exit 1; }

compile-translations: $(STAMP)/runtime
	@$(BIN)/pybabel compile -d translations

run: $(STAMP)/runtime compile-translations ## Set up, migrate, load demo data and serve on http://127.0.0.1:5000
	$(BIN)/flask db upgrade
	$(BIN)/flask drafts purge
	$(BIN)/flask sign-in purge
	$(BIN)/flask demo load
	@echo "Victims sign in at http://127.0.0.1:5000/sign-in with a demo email address or mobile number above."
	@echo "Notifications, security codes too, go to the log and to instance/outbox/ (the development provider)."
	@echo "Serving the portal on http://127.0.0.1:5000 (Ctrl+C to stop)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask notifications work & worker=$$!; \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(STAMP)/dev lint compile-translations chromium ## Set up and run the whole suite (lint, unit, functional, browser, i18n)
	bash scripts/run_tests.sh

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing and cannot be installed (not root): browser tests will be skipped unless CI=true"; fi

lint: $(STAMP)/dev ## Check the code with ruff, the layers with import-linter, and that requirements*.txt match pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@$(MAKE) --no-print-directory check-requirements

format: $(STAMP)/dev ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translate: $(STAMP)/runtime ## Extract strings, update the Welsh catalogue, compile, draw the stages picture
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k N_ --no-location --sort-output --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/pybabel compile -d translations
	$(BIN)/flask stages draw

assets: ## Copy the pinned govuk-frontend and htmx into static/ (needs Node)
	npm ci --no-audit --no-fund --omit=dev
	npm run assets

# The benchmark (README "Benchmarks"): every page under wrk against the ceiling, on SQLite
# and PostgreSQL (BENCH_DATABASE_URL), at BENCH_SCALE of national scale; results in
# benchmarks/results/. Then known vs unknown addresses (BENCH_ENUMERATION_DATABASE_URL
# adds a PostgreSQL run there: that database is emptied).
bench: $(STAMP)/dev compile-translations wrk chromium node_modules/.package-lock.json ## Load-test every page against the ceiling, check the budgets, time known vs unknown addresses
	$(BIN)/python -m benchmarks
	$(BIN)/python scripts/bench_enumeration.py $(BENCH_ENUMERATION_DATABASE_URL)

wrk:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's wrk for the benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk is missing and cannot be installed (not root): apt-get install wrk, then make bench again"; exit 1; fi

# Lighthouse (an npm devDependency) for `make bench` and `make lighthouse`.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

lighthouse: $(STAMP)/dev compile-translations chromium node_modules/.package-lock.json ## Lighthouse (mobile, throttled) on four key pages of a portal of its own (needs Node 20+)
	$(BIN)/python scripts/lighthouse_scores.py --serve --runs 3 --out benchmarks/results/lighthouse.json

clean: ## Remove the virtual environment and local databases
	rm -rf $(VENV) $(STAMP) instance
