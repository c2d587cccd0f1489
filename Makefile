# The two commands of the README: `make run` (sandbox) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install lint

# Dependencies come from the hashed lock (regenerate it with `uv pip compile pyproject.toml
# --extra test --generate-hashes ...`, the command at its top); --isolated: straight from
# PyPI, so a local wheel mirror cannot serve a file whose hash differs.
$(BIN)/cloudops: pyproject.toml requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --isolated --require-hashes -r requirements-test.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/cloudops

install: $(BIN)/cloudops

run: install
	$(BIN)/cloudops sandbox

test: install
	./scripts/system-deps.sh
	./scripts/services.sh
	$(BIN)/ruff check .
	$(BIN)/mypy bot skills agents analysis cluster knowledge config messages sandbox
	$(BIN)/pytest

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
