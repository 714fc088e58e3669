# Set-up and everyday commands. `make demo` and `make test` work on a fresh machine
# (Python 3.11, pip, gcc, make): each creates .venv and installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install demo test bench classifier clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/lofte demo

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Retrain the pledge sentence classifier from ../shared (or $$LOFTE_SHARED_DIR) and print its
# leave-one-manifesto-out evaluation; the model file is deterministic (docs/classifier.md).
classifier: install
	$(BIN)/python -m lofte.pipeline.train_classifier --evaluate

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache lofte-demo.db*
