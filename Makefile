# Two commands set everything up on a fresh machine: `make serve` and `make test`.
# Each creates .venv from the pinned requirements.txt when it is missing or out of date.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# The docs engine: mkdocs (default) or properdocs (kbtools/engine.py; README "Leaving Material").
export DOCS_ENGINE ?= mkdocs
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build test check registry offline bench linkcheck vendor screenshots clean watch

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

## serve: live preview at http://127.0.0.1:8000/ ; rebuilds when docs/, kb/ or kbtools/ change
serve: $(STAMP)
	$(PY) -m kbtools.engine serve --livereload

## build: strict build into site/, one at a time, swapped in atomically (scripts/build.py);
##        a failed or killed build leaves the previous site/ untouched
build: $(STAMP)
	@$(PY) scripts/build.py

## test: the whole suite (kb rules, site build, browser tests)
test: $(STAMP)
	$(PY) -m pytest

## check: validate kb/ only, listing every problem
check: $(STAMP)
	$(PY) -m kbtools check

## registry: add new pages and ids of a fresh build to kb/published.txt (never removes a line)
registry: $(STAMP)
	$(PY) -m kbtools registry --update

## offline: build, then write dist/windows-containers-kb.zip (open index.html from the unpacked folder)
offline: build
	$(PY) scripts/offline_zip.py site dist/windows-containers-kb.zip

## bench: build time, hook overhead, page weight, search index size and speed (writes bench/results/)
bench: $(STAMP)
	$(PY) scripts/bench.py

## watch: compare watched kb values with their upstream sources; report in .cache/watch/report.json
## (WATCH_ARGS="--report kb/watch-report.json" writes the one the site shows)
## (needs network, not part of CI; `python -m kbtools watch` exits 0 all current, 1 drift, 3 could not check)
watch: $(STAMP)
	$(PY) -m kbtools watch $(WATCH_ARGS)

## linkcheck: check external links of the source registry (needs network; not part of CI)
linkcheck: $(STAMP)
	$(PY) scripts/linkcheck.py

## screenshots: full-page PNGs of every page (ko, en; 1280 and 390 px; light and dark) + screenshots/index.html
screenshots: build
	$(PY) scripts/screenshots.py site screenshots

## vendor: re-fetch the pinned third-party browser assets (npm registry)
vendor:
	scripts/vendor.sh

clean:
	rm -rf site .site-build-* .site-old-* .site-build.lock dist .pytest_cache screenshots
