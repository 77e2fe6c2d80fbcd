# One command to run the app with demo data, one to run the tests; both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint check-rules bench bench-district demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

# Migrates the database (DATABASE_URL, default instance/subsidy.db), loads the demo data (seed
# profiles and demo users; idempotent), then serves the web app on 127.0.0.1:5000 and prints the
# addresses and the demo logins.
run: $(STAMP)
	$(BIN)/subsidy db upgrade
	$(BIN)/subsidy seed
	$(BIN)/python -m web --host 127.0.0.1 --port 5000

# What each demo firm can apply for, in the terminal.
demo: $(STAMP)
	$(BIN)/subsidy demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

check-rules: $(STAMP)
	$(BIN)/subsidy rules check

bench: $(STAMP)
	$(BIN)/python bench/assess_bench.py

# A district on one machine: N applicants (default 100,000) imported, screened and exported on
# SQLite, or on DATABASE_URL; prints bytes per applicant and each step's time (docs/benchmarks.md).
N ?= 100000
bench-district: $(STAMP)
	$(BIN)/python bench/district_bench.py $(N)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache test-artifacts
