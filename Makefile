# Yield Lab. Every target creates .venv from scratch when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader opens its gradebook by running `alembic`, so the venv's bin must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: lab test test-fast lint format release grade bench lite clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# JupyterLab refuses to run as root (containers, CI machines) unless told it may.
LAB_AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

## lab: open the course in JupyterLab
lab: $(VENV)/.installed
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
	  --LabApp.default_url=/lab/tree/course/01_generators.ipynb $(LAB_AS_ROOT) $(LAB_ARGS)

## test: everything CI runs
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## test-fast: the unit tests only (no nbgrader, no browser)
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check graders yieldlab tests benchmarks lite

format: $(VENV)/.installed
	$(BIN)/ruff format graders yieldlab tests benchmarks lite
	$(BIN)/ruff check --fix .

## release: regenerate exercises/ from solutions/ (the only way exercises/ changes)
release: $(VENV)/.installed
	for dir in solutions/*/; do \
	  $(BIN)/nbgrader generate_assignment "$$(basename $$dir)" --force --no-db || exit 1; \
	done

## grade: autograde every submission of ASSIGNMENT (make grade ASSIGNMENT=01_generators)
grade: $(VENV)/.installed
	$(BIN)/python -m graders.autograde $(ASSIGNMENT)

## bench: run every benchmark
bench: $(VENV)/.installed
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

## lite: build the offline JupyterLite site in lite/_output (static files: serve them anywhere)
lite: $(VENV)/.installed
	$(BIN)/python lite/build.py

clean:
	rm -rf $(VENV) autograded feedback submitted gradebook.db lite/_output lite/build lite/static lite/node_modules lite/.jupyterlite.doit.db
