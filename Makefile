# Every target sets up what it needs; running one twice does no extra work.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast test-browser test-multi-instance lint format setup lock clean

run: setup
	$(BIN)/python manage.py runserver $(HOST)

# Everything: the fast tests, the browser tests (Chromium) and the two-instance test (PostgreSQL
# and Redis); what is missing here is skipped locally and fails in CI.
test: setup node_modules
	$(BIN)/python -m pytest

# No browser and no second server: the loop to run while working, on two processes (pytest-xdist;
# worksteal balances the few slow tests). `make test` stays one process, as CI runs it.
test-fast: setup
	$(BIN)/python -m pytest -n 2 --dist worksteal -m "not browser and not multi_instance"

test-browser: setup node_modules
	$(BIN)/python -m pytest -m browser

test-multi-instance: setup
	$(BIN)/python -m pytest -m multi_instance

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# venv + dependencies from the lock file, migrations, and the content from content/.
setup: $(STAMP)
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_content

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 13), "Python 3.13 is required (see .python-version); set PYTHON=/path/to/python3.13"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

# Test-only JavaScript tools (axe-core, html-validate; lighthouse for bench/pages.py), pinned in
# package-lock.json. Without npm the tests that need them skip locally (and fail in CI).
node_modules: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch node_modules; \
	else echo "npm not found: browser accessibility and HTML validation tests will be skipped"; fi

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
