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

.PHONY: run test setup venv database messages makemessages lint format

run: setup
	$(MANAGE) ensure_local_admin
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: venv database messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_brochures

venv: $(VENV)/.installed

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
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
