# styrdok — two commands for a fresh Debian machine: `make build` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test test-all lint typecheck bench images system system-test clean bytecode

# The type checker on the whole package ([tool.mypy] in pyproject.toml): among other things, every
# writer's match over the model's block types must be exhaustive.
TYPECHECK := $(BIN)/mypy --config-file pyproject.toml

build: $(VENV)/.installed system bytecode
	$(BIN)/styrdok build

test: $(VENV)/.dev $(VENV)/eark/.installed node_modules/.installed system-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TYPECHECK)
	$(BIN)/python -m pytest -q

test-all: $(VENV)/.dev $(VENV)/eark/.installed node_modules/.installed system-test
	$(BIN)/python -m pytest -q -m ''

bench: $(VENV)/.dev system bytecode
	$(BIN)/python scripts/bench.py

# Page images for docs/ (look at them after a layout change): the example, a page of each other
# type (a program's cover, a policy's text and appendix, riktlinjer), and from the example history the change report's first page and its per-department page, and a redline page with a
# moved measure; the HTML edition's document page and register at 1280 and 390 px, and the change
# report as a page (scripts/screenshots.py); `styrdok serve` showing a source check refuses
# (scripts/serve_screenshot.py); a remiss round (scripts/make_remiss_example.py): the remiss
# version's cover, missive and a numbered page, the remissammanställning's first page and a
# per-measure page; a redline of the policy's table (scripts/make_table_history.py); and the
# follow-up's workbook and report (scripts/uppfoljning_images.py).
DIFF := build/historik/build/handlingsplan-bostadssociala/diff
REMISS := build/remiss/build/handlingsplan-bostadssociala/remiss-2026-1
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
	rm -rf build/remiss
	$(BIN)/python scripts/make_remiss_example.py build/remiss >/dev/null
	for n in 1 2 6; do pdftoppm -r 60 -png -f $$n -l $$n -singlefile \
	  $(REMISS)/handlingsplan-bostadssociala-remissversion.pdf docs/images/remiss-sida-$$n; done
	for n in 1 3; do pdftoppm -r 60 -png -f $$n -l $$n -singlefile \
	  $(REMISS)/remissammanstallning.pdf docs/images/remissammanstallning-sida-$$n; done
	$(BIN)/python scripts/serve_screenshot.py docs/images/serve-fel.png
	rm -rf build/tabell
	$(BIN)/python scripts/make_table_history.py build/tabell >/dev/null
	cd build/tabell && ../../$(BIN)/styrdok diff policy-informationssakerhet --from HEAD~1 \
	  --to HEAD --format pdf -o build/diff
	pdftoppm -r 70 -png -f 3 -l 3 -singlefile build/tabell/build/diff/redline.pdf \
	  docs/images/redline-tabell
	$(BIN)/python scripts/uppfoljning_images.py docs/images

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(TYPECHECK)

# System packages, only those missing (scripts/system-packages says which provide what):
# `make build` needs LibreOffice, its Python bridge and the fonts; `make test` also Chromium,
# poppler and npm (never Debian's npm beside a Node.js that brings its own).
system:
	scripts/system-packages build

system-test:
	scripts/system-packages test

# eark-validator (the tests' E-ARK CSIP/SIP check) pins lxml 5.1.0, which the dev tools' lxml
# >= 6.1 excludes, so it has an environment of its own; tests/support/eark_validate.py runs in it.
EARK_VALIDATOR := eark-validator==1.1.3

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# The test tools (pytest, ruff, the validators, playwright): only `make test` needs them.
$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# axe-core for the accessibility tests (package.json, locked by package-lock.json).
node_modules/.installed: package.json package-lock.json | system-test
	npm ci --no-audit --no-fund --silent
	touch $@

$(VENV)/eark/.installed: $(VENV)/.dev
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
