# Development commands. `make run` and `make test` set everything up from a
# fresh clone: virtualenv, packages, database, migrations, messages, data.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# Development defaults; the environment overrides them.
export DEBUG ?= 1
export HTTPS ?= 0
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clair_portal
# The development server's port (make run).
PORT ?= 8000

.PHONY: run test setup venv database messages makemessages lint format \
	backup restore load bench

# The web server and, beside it, the worker that sends mail (README, "The
# worker"); Ctrl-C stops both.
run: setup
	$(MANAGE) ensure_local_admin
	$(MANAGE) procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: setup node_modules
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: venv .env database messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_brochures

venv: $(VENV)/.installed

# Lighthouse, for the browser tests (package-lock.json; .ci/run installs npm).
node_modules: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# This checkout's own secret key and public address, for manage.py run by
# hand without DEBUG (gitignored; production requires both).
.env:
	printf 'SECRET_KEY=%s\nSITE_URL=http://127.0.0.1:8000\n' "$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	chmod 600 $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

database: venv
	$(MANAGE) ensure_database

messages: venv
	$(MANAGE) compilemessages --ignore=.venv

makemessages: venv
	$(MANAGE) makemessages -l ja -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=staticfiles --ignore=static

lint: venv
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Operations (README: "Backups", "Load test"). BACKUP_DIR defaults to backups/.
backup: venv
	$(PY) scripts/backup.py backup

restore: venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/clair-....tar"; exit 2; }
	$(PY) scripts/backup.py restore "$(FILE)"

# Gunicorn (2 workers, DEBUG=0) on loopback, driven by locust for LOAD_SECONDS
# (60) at LOAD_CONNECTIONS (32); writes load/RESULTS.md, fails on any error.
load: setup
	$(PY) load/run.py

# Throughput, latency and queries of every public page against /healthz, the
# brochure export against COPY, the PDF's render time, at scale 1 and 100
# (BENCH_SCALES, BENCH_SECONDS, BENCH_CONNECTIONS); writes bench/RESULTS.md.
bench: setup
	@command -v wrk >/dev/null || { sudo_cmd=""; [ "$$(id -u)" -eq 0 ] || sudo_cmd=sudo; \
		$$sudo_cmd apt-get install -y -qq --no-install-recommends wrk; }
	$(PY) bench/run.py
