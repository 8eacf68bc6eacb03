# styrdok — two commands for a fresh Debian machine: `make build` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libreoffice-writer-nogui python3-uno fonts-liberation2 poppler-utils chromium npm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test test-all lint bench images system clean bytecode

build: $(VENV)/.installed $(VENV)/eark/.installed node_modules/.installed system bytecode
	$(BIN)/styrdok build

test: $(VENV)/.installed $(VENV)/eark/.installed node_modules/.installed system
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

test-all: $(VENV)/.installed $(VENV)/eark/.installed node_modules/.installed system
	$(BIN)/python -m pytest -q -m ''

bench: $(VENV)/.installed system bytecode
	$(BIN)/python scripts/bench.py

# Page images for docs/ (look at them after a layout change): the example, a page of each other
# type (a program's cover, a policy's text and appendix, riktlinjer), and from the example history the change report's first page and its per-department page, and a redline page with a
# moved measure; the HTML edition's document page and register at 1280 and 390 px, and the change
# report as a page (scripts/screenshots.py); and a redline of the policy's table
# (scripts/make_table_history.py).
DIFF := build/historik/build/handlingsplan-bostadssociala/diff
images: build
	rm -rf docs/images/*.png build/historik
	pdftoppm -r 60 -png build/handlingsplan-bostadssociala/handlingsplan-bostadssociala.pdf docs/images/sida
	pdftoppm -r 60 -png -f 1 -l 1 -singlefile build/program-trygghet/program-trygghet.pdf docs/images/program-sida-1
	pdftoppm -r 60 -png -f 3 -l 4 build/policy-informationssakerhet/policy-informationssakerhet.pdf docs/images/policy-sida
	pdftoppm -r 60 -png -f 3 -l 3 -singlefile build/riktlinjer-sociala-medier/riktlinjer-sociala-medier.pdf docs/images/riktlinjer-sida-3
	$(BIN)/python scripts/make_history.py build/historik >/dev/null
	cd build/historik && ../../$(BIN)/styrdok diff handlingsplan-bostadssociala \
	  --from handlingsplan-bostadssociala/2018 --to main --format pdf,html -o build/handlingsplan-bostadssociala/diff
	pdftoppm -r 60 -png -f 1 -l 1 -singlefile $(DIFF)/changes.pdf docs/images/rapport-sida-1
	pdftoppm -r 60 -png -f 2 -l 2 -singlefile $(DIFF)/changes.pdf docs/images/rapport-sida-2
	pdftoppm -r 60 -png -f 5 -l 5 -singlefile $(DIFF)/redline.pdf docs/images/redline-sida-5
	$(BIN)/python scripts/screenshots.py build $(DIFF)/changes.html docs/images
	rm -rf build/tabell
	$(BIN)/python scripts/make_table_history.py build/tabell >/dev/null
	cd build/tabell && ../../$(BIN)/styrdok diff policy-informationssakerhet --from HEAD~1 \
	  --to HEAD --format pdf -o build/diff
	pdftoppm -r 70 -png -f 3 -l 3 -singlefile build/tabell/build/diff/redline.pdf \
	  docs/images/redline-tabell

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# System packages: LibreOffice (PDF), its Python bridge, Arial-metric fonts, poppler (page images),
# Chromium (the HTML tests' browser, driven by playwright; never `playwright install`) and npm.
system:
	@if ! command -v soffice >/dev/null || ! /usr/bin/python3 -c 'import uno' 2>/dev/null \
	    || ! command -v pdftoppm >/dev/null || ! fc-list | grep -q 'Liberation Sans' \
	    || ! test -x /usr/bin/chromium || ! command -v npm >/dev/null; then \
	  echo "Installerar systempaket: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

# eark-validator (the tests' E-ARK CSIP/SIP check) pins lxml 5.1.0, which the dev tools' lxml
# >= 6.1 excludes, so it has an environment of its own; tests/eark_validate.py runs in it.
EARK_VALIDATOR := eark-validator==1.1.3

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# axe-core for the accessibility tests (package.json, locked by package-lock.json).
node_modules/.installed: package.json package-lock.json | system
	npm ci --no-audit --no-fund --silent
	touch $@

$(VENV)/eark/.installed: $(VENV)/.installed
	test -d $(VENV)/eark || $(PYTHON) -m venv $(VENV)/eark
	$(VENV)/eark/bin/pip install -q '$(EARK_VALIDATOR)'
	touch $@

# styrdok's own modules as bytecode, as `pip install` of a wheel leaves them: an editable install
# has none, and with PYTHONDONTWRITEBYTECODE set every run compiled them anew (a third of a
# one-document build's time). Only what changed is compiled again.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q src

# Only build/: an archive folder is never inside it (release refuses one there).
clean:
	rm -rf build
