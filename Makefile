# Two commands a newcomer needs (see README): `make run` and `make test`.
# Each sets up its own virtual environment on first use.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run build test lint typecheck unit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the graph from seeds/ and serve it on http://127.0.0.1:8000/
run: $(STAMP)
	$(BIN)/linkedalliance build
	$(BIN)/linkedalliance serve

build: $(STAMP)
	$(BIN)/linkedalliance build

## Lint, type-check and run the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf output/*.nq output/*.trig output/*.ttl output/*.jsonld output/*.json output/texts
