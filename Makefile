# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/doanfield.db
BD_DB := .demo/binh-dinh.db
IN_DEMO = DOANFIELD_DB=$(DEMO_DB) $(BIN)/doanfield
REFORM := examples/reform-2025

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
	@# The 2025 reform: Bình Định's ledger, built in a file of its own, is brought in (its codes
	@# prefixed BD-), then the merged province's new units, moves, closings and trips.
	@for kind in units cadres plans assignments absences; do \
		DOANFIELD_DB=$(BD_DB) $(BIN)/doanfield import $$kind examples/binh-dinh/$$kind.csv || exit 1; \
	done
	@for f in examples/binh-dinh/trips*.csv; do \
		DOANFIELD_DB=$(BD_DB) $(BIN)/doanfield import trips $$f || exit 1; \
	done
	@DOANFIELD_DB=$(BD_DB) $(BIN)/doanfield policy set field_days_per_year 45 --from-year 2024
	@$(IN_DEMO) import ledger $(BD_DB) --prefix BD-
	@$(IN_DEMO) import units $(REFORM)/units.csv
	@$(IN_DEMO) cadre edit KB01 --active-to 30/06/2025
	@$(IN_DEMO) import moves $(REFORM)/moves.csv
	@$(IN_DEMO) import units $(REFORM)/closed.csv --update
	@$(IN_DEMO) unit close TD --on 30/06/2025 --into GL
	@$(IN_DEMO) unit close BD-TD --on 30/06/2025 --into GL
	@$(IN_DEMO) import trips $(REFORM)/trips-2025.csv
	@$(IN_DEMO) import trips $(REFORM)/trips-2026.csv
	$(IN_DEMO) report compliance --year 2025 --unit GL

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
