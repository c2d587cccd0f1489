# The two commands of the README: `make run` (sandbox) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install lint

$(BIN)/cloudops: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/cloudops

install: $(BIN)/cloudops

run: install
	$(BIN)/cloudops sandbox

test: install
	./scripts/system-deps.sh
	./scripts/services.sh
	$(BIN)/ruff check .
	$(BIN)/mypy bot skills agents analysis cluster knowledge config
	$(BIN)/pytest

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
