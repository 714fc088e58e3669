# Set-up and everyday commands. `make demo` and `make test` work on a fresh machine
# (Python 3.11, pip, gcc, make): each creates .venv and installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# What ruff lints and format-checks: the whole tree. mypy's files
# are listed in pyproject.toml ([tool.mypy] files), where they are held to --strict.
LINT_PATHS := src tests

.PHONY: install demo lint test bench classifier clean

$(STAMP): pyproject.toml src/lofte/pipeline/_link_kernel.c  # the C file: rebuilt by the install
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# axe-core for the accessibility test (tests/web/test_accessibility.py), pinned and checked
# against its sha512 integrity (scripts/fetch_axe.py).
AXE := $(VENV)/axe-core-4.10.2/axe.min.js

$(AXE): scripts/fetch_axe.py | $(STAMP)
	$(BIN)/python scripts/fetch_axe.py $(dir $(AXE))

install: $(STAMP) $(AXE)

demo: $(STAMP)  # the demo needs no axe-core
	$(BIN)/lofte demo

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Retrain the pledge sentence classifier from ../shared (or $$LOFTE_SHARED_DIR) and print its
# leave-one-manifesto-out evaluation; the model file is deterministic (docs/classifier.md).
classifier: install
	$(BIN)/python -m lofte.pipeline.train_classifier --evaluate

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache lofte-demo.db*
