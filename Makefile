# EventHub developer commands. `make` alone lists them.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTHON := $(shell command -v python3.11 2>/dev/null || command -v python3)
PYTEST_ARGS ?=
# Tests run in parallel, one worker per CPU (pytest-xdist); PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help

.PHONY: help run test bench lint clean

help: ## List the targets
	@echo "EventHub make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-7s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "Pass pytest options with PYTEST_ARGS, e.g. make test PYTEST_ARGS='-x -k judging'"

# The virtualenv is rebuilt when pyproject.toml changes; deps are installed as pinned there.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -e '.[test]'
	touch $@

run: $(STAMP) ## Migrate, seed demo data if empty, serve on http://127.0.0.1:8000
	mkdir -p instance
	$(VENV)/bin/flask --app eventhub db upgrade
	$(VENV)/bin/flask --app eventhub seed-demo --if-empty
	exec $(VENV)/bin/gunicorn -c eventhub/gunicorn_conf.py --bind 127.0.0.1:8000 --access-logfile - wsgi:app

test: $(STAMP) ## Run the test suite (PYTEST_ARGS=... to pass options)
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: $(STAMP) ## Run every bench/*.py (not part of make test)
	@set -e; found=0; \
	for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		found=1; echo "== $$script"; $(PY) "$$script"; \
	done; \
	[ "$$found" = 1 ] || echo "No benchmarks in bench/."

lint: ## ruff check eventhub and tests, when ruff is installed
	@if [ -x $(VENV)/bin/ruff ]; then \
		$(PY) -m ruff check eventhub tests; \
	else \
		echo "ruff is not installed in $(VENV); install it with: $(PY) -m pip install ruff"; \
	fi

clean: ## Remove the virtualenv and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
	find . -path ./instance -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
