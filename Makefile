# Two entry points for a new machine (see README): `make demo` and `make test`.
VENV ?= .venv
# `make demo PORT=8080` serves on another port
PORT ?= 8000
PY := $(VENV)/bin/python

.PHONY: setup demo test lint
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $@

demo: setup
	$(VENV)/bin/gongwen serve --demo --port $(PORT)

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .
