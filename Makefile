# The two commands of the README: `make run` and `make test`. Everything else is a step they use.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# DEBUG is off unless set (shunyi_eval/settings.py); these commands are for development, so they set it.
# Production runs `manage.py`/gunicorn itself with DEBUG=0 and a SECRET_KEY (README "Production settings").
DEBUG ?= 1
export DEBUG
# Two workers by default: the machine this was built for has two cores.
PYTEST_WORKERS ?= 2

.PHONY: run test bootstrap migrate demo lint format worker bench

bootstrap:
	./scripts/bootstrap

migrate: bootstrap
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_signing_key

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/lint-imports

test: lint
	$(PY) manage.py check
	$(PY) manage.py ensure_signing_key
	.venv/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

format: bootstrap
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

worker: bootstrap
	.venv/bin/celery -A shunyi_eval worker --loglevel=info

bench: bootstrap
	$(PY) bench/engine.py
	$(PY) bench/pdf.py
