# Yield Lab. Every target creates .venv from scratch when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader opens its gradebook by running `alembic`, so the venv's bin must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: lab test test-fast lint format release grade bench lite clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "Yield Lab needs Python 3.11 or later: make PYTHON=python3.12 ..." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create .venv. On Debian or Ubuntu: sudo apt-get install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The Debian packages a target needs, as COMMAND:PACKAGE (the command shows it is there):
# Node.js and npm build the site, Chromium runs the browser tests, bubblewrap sandboxes grading.
NEEDS_LITE := node:nodejs npm:npm
NEEDS_TEST := $(NEEDS_LITE) /usr/bin/chromium:chromium bwrap:bubblewrap

# $(call debian,COMMAND:PACKAGE ...): install what is missing as root, else say the command to run.
define debian
@missing=""; for need in $(1); do \
  command -v "$${need%%:*}" >/dev/null 2>&1 || missing="$$missing $${need#*:}"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "Installing the Debian packages$$missing"; \
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; } >/dev/null \
      || { echo "Could not install$$missing. Run: sudo apt-get install$$missing" >&2; exit 1; }; \
  else \
    echo "This needs the Debian packages$$missing. Install them with:" >&2; \
    echo "    sudo apt-get install$$missing" >&2; exit 1; \
  fi; \
fi
endef

# JupyterLab refuses to run as root (containers, CI machines) unless told it may.
LAB_AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

## lab: open the course in JupyterLab
lab: $(VENV)/.installed
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
	  --LabApp.default_url=/lab/tree/course/01_generators.ipynb $(LAB_AS_ROOT) $(LAB_ARGS)

## test: everything CI runs
test: $(VENV)/.installed
	$(call debian,$(NEEDS_TEST))
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
	$(call debian,bwrap:bubblewrap)
	$(BIN)/python -m graders.autograde $(ASSIGNMENT)

## bench: run every benchmark
bench: $(VENV)/.installed
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

## lite: build the offline JupyterLite site in lite/_output (static files: serve them anywhere)
lite: $(VENV)/.installed
	$(call debian,$(NEEDS_LITE))
	@# One build at a time: runs started side by side share lite/_output.
	flock lite/.build.lock $(BIN)/python lite/build.py

clean:
	rm -rf $(VENV) autograded feedback submitted gradebook.db lite/_output lite/build lite/static lite/node_modules lite/.jupyterlite.doit.db lite/.build.lock
