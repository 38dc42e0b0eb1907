# The two commands a newcomer needs: `make serve` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: install serve site offline test lint validate clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## Build site/ (validate, generate, MkDocs, search index); a failed build leaves site/ as it was.
site: $(STAMP)
	$(BIN)/rcmkb build

## The site as dist/offline.zip, to open from disk with no server and no network (prints its size).
offline: $(STAMP)
	$(BIN)/rcmkb offline

## Preview at http://127.0.0.1:8000: each save rebuilds only what changed; catalog errors show on the pages.
# --dirty: MkDocs converts only the pages whose file changed (hooks/catalog.py rebuilds all when
# that is not safe); --no-strict: a warning must not stop the preview (`make site` stays strict).
serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dirty --no-strict --dev-addr 127.0.0.1:8000

## Check the catalog only.
validate: $(STAMP)
	$(BIN)/rcmkb validate catalog

## Build, then check every internal link and anchor of site/ (external links: rcmkb check-links --external).
.PHONY: check-links
check-links: site
	$(BIN)/rcmkb check-links site

## Style (ruff) and types (mypy, configured in pyproject.toml) of the package, the hook and the bench.
lint: $(STAMP)
	$(BIN)/ruff check scripts tests hooks bench
	$(BIN)/mypy scripts/rcmkb hooks bench

## Everything CI runs: lint, validation, unit, build and browser tests.
test: lint browser
	$(BIN)/pytest

# Browser tests drive Debian's Chromium (never a downloaded browser); print tests read PDFs with
# poppler-utils' pdftotext. Both from Debian's packages, installed once if missing.
.PHONY: browser
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/pdftotext || { \
	  echo "Installing Debian's chromium and poppler-utils for the browser and print tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }

## Benchmark N = 100, 1,000, 5,000 entries against stock MkDocs -> bench/results.* (QUICK=1: reduced,
## a few minutes -> bench/work/quick/). The benchmark is the dev-only package bench/, not part of rcmkb.
.PHONY: bench
bench: $(STAMP) browser
	$(BIN)/python -m bench $(if $(QUICK),--quick)

clean:
	rm -rf site .site-* docs/catalogo dist
