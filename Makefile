# Two entry points for a new machine (see README): `make demo` and `make test`.
VENV ?= .venv
# `make demo PORT=8080` serves on another port
PORT ?= 8000
PY := $(VENV)/bin/python

.PHONY: setup demo test test-sqlite test-postgresql lint
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $@

demo: setup
	$(VENV)/bin/gongwen serve --demo --port $(PORT)

# The whole suite on SQLite, then the tests that store (marker `db`) again on a
# throwaway PostgreSQL cluster (tests/backends.py).
test: test-sqlite test-postgresql

test-sqlite: setup
	GONGWEN_TEST_DB=sqlite $(PY) -m pytest -q

test-postgresql: setup
	GONGWEN_TEST_DB=postgresql $(PY) -m pytest -q -m db

lint: setup
	$(VENV)/bin/ruff check .
