# The portal's two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: venv run test lint
venv: $(BIN)/.installed
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# Database, broker, migrations, demo data, then web + Celery worker + beat; one Ctrl-C stops all.
run: venv
	@$(BIN)/python scripts/run.py --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

test: venv lint
	$(BIN)/pytest
