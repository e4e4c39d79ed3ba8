# Two commands for a fresh machine (only Python 3.11+ and make needed):
#   make run    install into .venv and start the desktop app on ./local-data (first run:
#               the setup wizard, with the demo catalog one click away)
#   make test   install with the dev extras and run the whole suite
# For a counter PC (packaging/): `make dist` builds the one-folder bundle dist/odsc-desk/,
# `make deb` wraps it into dist/odsc-desk_<version>_<arch>.deb.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= local-data
STAMP := $(VENV)/.installed
# The suite's worker processes (pytest-xdist): the tests of one file stay on one worker, so its
# module fixtures (a centre with its scene, a browser) are made once. 1 runs it in one process.
TEST_WORKERS ?= 2

.PHONY: help run test lint bench clean translations dist deb icon

# Lao translations of the window, compiled from the committed .ts sources.
QM := $(patsubst %.ts,%.qm,$(wildcard ui/translations/*.ts))

help:
	@echo "make run           install into .venv and start the window on ./$(DATA_DIR)"
	@echo "make test          install with the test tools; ruff, mypy and the whole suite"
	@echo "make lint          ruff check, ruff format --check and mypy"
	@echo "make bench         the benchmarks in tests/bench (not part of make test)"
	@echo "make translations  compile ui/translations/*.ts into .qm files"
	@echo "make dist          the one-folder bundle dist/odsc-desk/ (PyInstaller)"
	@echo "make deb           the .deb package of that bundle"
	@echo "make icon          re-render the icons from packaging/linux/odsc-desk.svg"
	@echo "make clean         remove .venv, build output and compiled translations"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes; the install is editable, so code edits need none.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

ui/translations/%.qm: ui/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

run: $(STAMP) translations
	$(BIN)/odsc-desk --data-dir $(DATA_DIR)

test: $(STAMP) translations
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pytest -q -s tests/bench

# The bundle: both programs (odsc-desk, odsc) and one set of libraries, no Python needed on
# the PC. Rebuilt from scratch each time (--noconfirm replaces dist/odsc-desk/).
dist: $(STAMP) translations
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/odsc-desk.spec

# The maintainer written into the package: DEB_MAINTAINER='Name <address>' make deb
deb: dist
	packaging/linux/build-deb.sh dist/odsc-desk \
		"$$($(BIN)/python -c 'import odsc_desk; print(odsc_desk.__version__)')" dist

# Re-render the committed PNG and .ico from packaging/linux/odsc-desk.svg after changing it.
icon: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icon.py

clean:
	rm -rf $(VENV) build *.egg-info ui/translations/*.qm
