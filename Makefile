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

# Each pass on JOBS pytest-xdist workers (one per core of a 2-core machine), a test file
# to a worker so its shared fixtures are built once; `make test JOBS=0` runs in one process.
JOBS ?= 2
PYTEST := $(PY) -m pytest -q -n $(JOBS) --dist loadfile

test-sqlite: setup
	GONGWEN_TEST_DB=sqlite $(PYTEST)

test-postgresql: setup
	GONGWEN_TEST_DB=postgresql $(PYTEST) -m db

lint: setup
	$(VENV)/bin/ruff check .
