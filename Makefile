# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP  := app:create_app
export PYTHONPATH := $(CURDIR)

WORKERS ?= 4
JOBS_WORKERS ?= 2 # job queue consumers `make serve` starts beside gunicorn (threads of one huey_consumer)
TIMEOUT ?= 120    # seconds a request may take: a large export is a job (app/jobs), not a long request

.PHONY: run test test-fast setup lint translations bench bench-peer-setup load serve clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

translations/zh/LC_MESSAGES/messages.mo: translations/zh/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/python translations/catalog.py compile

setup: $(BIN)/.installed translations/zh/LC_MESSAGES/messages.mo

## run: install, migrate, load demo data, create the admin (login printed), serve on http://$(HOST):$(PORT)
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask init-office
	$(BIN)/flask seed-demo
	$(BIN)/flask create-admin
	@echo "Demo logins (password Demo-2026!): leader, manager (督查室), clerk (文电处), viewer;"
	@echo "  one Clerk per owning division: secretary, districts, disputes, duty, proposals, research, info,"
	@echo "  hotline, egov, personnel, party, retirees, logistics, reception, gazette (README: Roles)"
	@# the job queue's consumer beside the web process (large exports and ledgers), stopped with it
	$(BIN)/flask jobs-worker --workers 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## serve: production serving with gunicorn (set DATABASE_URL and SECRET_KEY; see README "Running for real")
serve: export OFFICE_EMBEDDED = 0
serve: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask init-office
	@# JOBS_WORKERS consumers of the job queue (JOBS_URL) here; 0 when they run on other machines
	if [ "$(JOBS_WORKERS)" -gt 0 ]; then $(BIN)/huey_consumer app.huey -w $(JOBS_WORKERS) -k thread -m 1 & fi; \
	exec $(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --timeout $(TIMEOUT) --access-logfile - 'app:create_app()'

## test: install, lint, all tests on SQLite and PostgreSQL
test: setup lint
	$(BIN)/python -m pytest

## test-fast: everyday work — SQLite only, no browser, no `make serve`, no fuzz (the `slow` marker)
test-fast: setup lint
	TEST_BACKENDS=sqlite $(BIN)/python -m pytest -m "not slow" -n auto

## bench: performance measurements (not tests), printed as one table and written to bench/results.md;
##        BENCH_SIZES=10000 for a quick run (default 100000,1000000: 30–60 minutes with the Django peer)
bench: setup bench-peer-setup
	$(BIN)/python bench/run.py

## bench-peer-setup: Django's own virtualenv for the bench's Django admin peer (never the app's venv)
PEER_VENV := bench/django_peer/.venv
bench-peer-setup: $(PEER_VENV)/.installed

$(PEER_VENV)/.installed: bench/django_peer/requirements.txt
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet --upgrade pip
	$(PEER_VENV)/bin/pip install --quiet -r bench/django_peer/requirements.txt
	touch $@

## load: loopback load test: `make serve`'s gunicorn on a throw-away PostgreSQL, 50 locust users for 60 s
##       (6–9 minutes with the database build); LOAD_USERS, LOAD_DURATION, LOAD_SCALE, LOAD_WAIT;
##       results in bench/load_results.md. Locust (and gevent) only here, not in the test requirements.
load: setup
	$(BIN)/pip install --quiet -r bench/requirements-load.txt
	$(BIN)/python bench/load.py

lint: $(BIN)/.installed
	$(BIN)/ruff check .

## translations: extract msgids and merge them into the zh catalog (then translate the gaps)
translations: $(BIN)/.installed
	$(BIN)/python translations/catalog.py update
	$(BIN)/python translations/catalog.py compile

clean:
	rm -rf $(VENV) instance .pytest_cache
