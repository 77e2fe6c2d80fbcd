# One command to run the app with demo data, one to run the tests; both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install catalogs i18n-extract i18n-update i18n-migrate i18n-check run test lint check-rules bench \
	bench-district demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP) catalogs

# The interface's gettext catalogs (docs/web.md, Language). The .po files are the source, kept in
# git; the .mo files are build output, compiled here by install, run and test.
TRANSLATIONS := web/translations
CATALOGS := $(TRANSLATIONS)/zh_CN/LC_MESSAGES/messages.mo $(TRANSLATIONS)/en/LC_MESSAGES/messages.mo

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l $* -i $< -o $@

catalogs: $(CATALOGS)

# Keys passed to t() in web/ (code and templates) into messages.pot.
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k t --no-default-keywords --sort-by-file \
		-o $(TRANSLATIONS)/messages.pot web

# New keys into both catalogs with an empty text (the tests fail until both are written).
# Not `pybabel update`: it would make obsolete the keys built at run time (web/i18n_tools.py).
i18n-update: i18n-extract
	$(BIN)/python web/i18n_tools.py sync $(TRANSLATIONS)/messages.pot

# After merging a branch that still adds strings to web/messages.py: move them into the catalogs.
i18n-migrate: $(STAMP)
	$(BIN)/python web/i18n_tools.py migrate web/messages.py
	$(MAKE) catalogs

i18n-check: $(STAMP)
	$(BIN)/python web/i18n_tools.py check

# Migrates the database (DATABASE_URL, default instance/subsidy.db), loads the demo data (seed
# profiles and demo users; idempotent), then serves the web app on 127.0.0.1:5000 and prints the
# addresses and the demo logins.
run: $(STAMP) catalogs
	$(BIN)/subsidy db upgrade
	$(BIN)/subsidy seed
	$(BIN)/python -m web --host 127.0.0.1 --port 5000

# What each demo firm can apply for, in the terminal.
demo: $(STAMP)
	$(BIN)/subsidy demo

test: $(STAMP) catalogs
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
	rm -rf $(VENV) instance .pytest_cache .ruff_cache test-artifacts $(CATALOGS)
