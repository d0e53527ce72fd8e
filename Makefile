# The two commands a newcomer needs are `make serve` and `make test`; each one
# sets up what it needs (pinned Python packages in .venv, pinned npm packages in
# node_modules) on first use and again whenever a lock file changes.

# Python 3.11: prefer python3.11 by name, else python3 (the check says if it is wrong).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup serve build offline pdf audit bench-build bench-diagrams bench-links test check links published-pages lock clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(VENV)/.installed node_modules/.installed ## Install pinned Python and npm dependencies

serve: setup ## Build and serve the site at http://$(HOST):$(PORT), rebuilding on change
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

build: setup ## Build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict

# The offline copy: Material's offline plugin (OFFLINE=true in mkdocs.yml) makes
# the site work from file://; the zip holds one folder, architecture-notes/.
offline: setup ## Build the offline copy (opens from file://) into build/architecture-notes-offline.zip
	rm -rf build/offline build/architecture-notes-offline.zip
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir build/offline/architecture-notes
	cd build/offline && ../../$(BIN)/python -m zipfile -c ../architecture-notes-offline.zip architecture-notes
	@echo "wrote build/architecture-notes-offline.zip (unzip it and open architecture-notes/index.html)"

# The print edition as one PDF (A4), from a fresh build: headless Chromium prints
# the site's print/ page; the deploy workflow publishes it beside the site.
pdf: setup ## Build the site and print its print edition to build/architecture-notes.pdf
	rm -rf build/pdf-site
	$(BIN)/mkdocs build --strict --site-dir build/pdf-site
	$(BIN)/python scripts/make_pdf.py --site build/pdf-site --output build/architecture-notes.pdf

audit: setup ## Lighthouse scores of the home, heaviest diagram and a plain page, against the budgets
	$(BIN)/python scripts/audit_site.py

bench-build: setup ## Time 1,000 synthetic notes: this site's configuration vs bare Material, and size growth
	$(BIN)/python scripts/bench_build.py

bench-diagrams: setup ## What slimming each drawn diagram saves in bytes and costs in drawing time, against none
	$(BIN)/python scripts/bench_diagrams.py

bench-links: setup ## Time the link checker against lychee on a loopback web (2k/5k/20k URLs, start-up, politeness)
	$(BIN)/python scripts/bench_links.py

test: setup ## Run the whole test suite
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || { echo "error: the tests build the site, which draws its diagrams in Chromium: install it with 'sudo apt-get install chromium'." >&2; exit 1; }
	$(BIN)/pytest

# The gates a contributor runs before pushing (and pre-commit runs): front matter,
# content gates, Markdown lint, the scaffold, ruff, and zizmor on the workflows
# (offline: pinned actions, permissions, credentials). No site build, no browser.
check: setup ## Run the fast gates (no build, no browser) and ruff
	$(BIN)/pytest -m gate -q
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/zizmor --offline --quiet --min-severity medium .github/workflows

# External references: politely, with a cache in .cache/linkcheck/ (settings in
# linkcheck.toml). Exit 1 means dead links; 3 means offline, not dead.
links: $(VENV)/.installed ## Check every external link of the site (scripts/check_links.py --help)
	$(BIN)/python scripts/check_links.py

# The list the published-pages gate holds the site to: adds every page the site
# has now (a page renamed or removed stays listed; redirect it in redirects.yml).
published-pages: $(VENV)/.installed ## Record new pages in published-pages.txt (after adding a page)
	$(BIN)/python scripts/record_published_pages.py

lock: $(VENV)/.installed ## Regenerate requirements.txt (with hashes) from requirements.in
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in

clean: ## Remove the built site and installed dependencies
	rm -rf site build $(VENV) node_modules

$(VENV)/.installed: requirements.txt
	@scripts/check_prerequisites.sh "$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@scripts/check_prerequisites.sh "$(PYTHON)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
