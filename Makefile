# The whole setup on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app assets_app
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test fuzz lint format install install-dev chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m assets_app.serve

chromium:
	@bash scripts/ensure-chromium.sh

test: install-dev chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the OpenAPI fuzz run (it is part of `make test` too); prints its case count and time.
fuzz: install-dev
	$(BIN)/python -m pytest -m fuzz -s -q tests/fuzz

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python bench/assets.py

clean:
	rm -rf $(VENV) *.egg-info
