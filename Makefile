# Two commands for a fresh machine (only Python 3.11+ and make needed):
#   make run    install into .venv and start the desktop app on ./local-data
#   make test   install with the dev extras and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= local-data
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes; the install is editable, so code edits need none.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	@test -f $(DATA_DIR)/odsc.sqlite3 || $(BIN)/odsc --data-dir $(DATA_DIR) init \
		--office-code VTE-SST --office-name "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ" \
		--counter 1 --admin admin --demo-catalog
	$(BIN)/odsc-desk --data-dir $(DATA_DIR)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m pytest -q -s tests/bench

clean:
	rm -rf $(VENV) build *.egg-info
