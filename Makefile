# The two commands a newcomer needs: `make run` and `make test`.
# The first Python 3.11+ that actually runs (pyenv shims may exist for versions that do not).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; \
	done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint install locales locales-check rasa bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Start the service on SQLite, with the web chat at http://127.0.0.1:8000/
## (an empty service map gets the sample map of data/services-sample.csv first, and no
## sessions yet the sample sessions of data/sessions-sample.csv)
run: $(STAMP)
	$(BIN)/helpline services import --if-empty --by sample data/services-sample.csv > /dev/null
	$(BIN)/helpline sessions import --if-empty --by sample data/sessions-sample.csv > /dev/null
	$(BIN)/helpline serve

## The whole test suite, on SQLite and on PostgreSQL when it is reachable
test: $(STAMP)
	$(BIN)/python -m pytest -q -ra

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy

## Catalogs: extract message ids from flows and code, update every language, compile
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d locales --statistics

## A Rasa 3.6 server trained from config.yml and nlu/ (its own Python 3.10 environment)
rasa:
	bash scripts/rasa.sh

bench: $(STAMP)
	$(BIN)/python bench/nlu_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache models helpline.db helpline.key
