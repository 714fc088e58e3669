# Set-up and everyday commands. `make demo` and `make test` work on a fresh machine
# (Python 3.11, pip, gcc, make): each creates .venv and installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# What ruff lints and format-checks; widen it as more of the tree is brought in line. mypy's files
# are listed in pyproject.toml ([tool.mypy] files), where they are held to --strict.
LINT_PATHS := src/lofte/model.py src/lofte/pipeline src/lofte/language src/lofte/sources \
              src/lofte/store src/lofte/publish \
              src/lofte/__init__.py src/lofte/__main__.py src/lofte/cli_audit.py \
              src/lofte/cli_backup.py src/lofte/cli_users.py src/lofte/config.py src/lofte/demo \
              src/lofte/errors.py src/lofte/extraction.py src/lofte/ingest.py src/lofte/linking.py \
              src/lofte/review tests/review tests/store \
              tests/__init__.py tests/conftest.py tests/localweb.py tests/language tests/pipeline \
              tests/sources tests/test_config.py tests/test_demo.py tests/test_extraction.py \
              tests/test_ingest.py tests/test_ingest_concurrency.py tests/test_ingest_formats.py \
              tests/test_linear_time.py tests/test_linking.py tests/test_tooling.py

.PHONY: install demo lint test bench classifier clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
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
