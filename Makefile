# One command to run the app with demo data, one to run the tests; both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint check-rules bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/subsidy demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

check-rules: $(STAMP)
	$(BIN)/subsidy rules check

bench: $(STAMP)
	$(BIN)/python bench/assess_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
