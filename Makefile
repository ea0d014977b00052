# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/doanfield.db

.PHONY: demo test lint typecheck bench clean

$(BIN)/doanfield: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/doanfield
	rm -rf .demo && mkdir -p .demo
	@for kind in units cadres plans assignments absences; do \
		DOANFIELD_DB=$(DEMO_DB) $(BIN)/doanfield import $$kind examples/$$kind.csv || exit 1; \
	done
	@for f in examples/trips*.csv; do \
		DOANFIELD_DB=$(DEMO_DB) $(BIN)/doanfield import trips $$f || exit 1; \
	done
	DOANFIELD_DB=$(DEMO_DB) $(BIN)/doanfield report compliance --year 2024

lint: $(BIN)/doanfield
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(BIN)/doanfield
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

bench: $(BIN)/doanfield
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python bench/national.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
