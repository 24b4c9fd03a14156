# The portal's two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/pip --disable-pip-version-check --quiet

.PHONY: venv run test lint translations screenshots bench load
venv: $(BIN)/.installed
$(BIN)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install -r requirements-dev.txt
	@touch $@

# Database, broker, migrations, demo data, then web + Celery worker + beat; one Ctrl-C stops all.
run: venv
	@$(BIN)/python scripts/run.py --port $(PORT)

lint: venv
	@$(BIN)/ruff check --quiet .
	@$(BIN)/ruff format --check --quiet .
	@$(BIN)/mypy --no-error-summary congress sittings visits suggestions supervision duty demo scripts
	@$(BIN)/lint-imports --no-cache > /dev/null || $(BIN)/lint-imports --no-cache

# compilemessages needs gettext's msgfmt; it only runs once a catalogue (.po) exists.
translations: venv
	@if find . -path ./.venv -prune -o -path ./.data -prune -o -name '*.po' -print | grep -q .; then \
		command -v msgfmt >/dev/null || { echo "msgfmt not found: sudo apt-get install gettext" >&2; exit 1; }; \
		$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.data --verbosity 0; \
	fi

# The whole suite on the real PostgreSQL and Redis, on freshly migrated test databases (a kept one may
# hold tables of another checkout); migrations are checked by tests/congress/test_migrations.py.
# TEST_WORKERS parallel workers, each with a test database and a Redis database of its own
# (docs/testing.md says why two); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: lint translations
	@$(BIN)/pytest -q --create-db $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)

# Phone and desktop screenshots of the key pages into docs/screenshots/, from a database of their own.
screenshots: translations
	@$(BIN)/python scripts/screenshots.py

# The key pages over HTTP (gunicorn) against the benchmark database (DATABASE_URL's name + _$(SCALE)_bench,
# and _town_bench for the ratios; seeded by `manage.py seed_scale` when missing), beside their references
# and budgets; fails when one is missed. Never part of `test`.
SCALE ?= district
bench: venv
	@$(BIN)/python scripts/bench.py --scale $(SCALE)

# The mixed load: locust headless on the loopback, 50 users, 70 % reads / 30 % writes, 2 minutes.
load: venv
	@$(BIN)/python scripts/load.py --scale $(SCALE)
