# Each user-facing target sets up .venv itself, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: test demo bench lab docs docs-build keras-suite clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	MPLBACKEND=Agg $(PY) -m pytest -q

demo: $(STAMP)
	MPLBACKEND=Agg $(PY) -m minigrad.demo

# Keras 2.2.4's own tests on minigrad (tools/keras_suite.py; also run by `make test`).
keras-suite: $(STAMP)
	$(PY) tools/keras_suite.py

bench: $(STAMP)
	$(PY) bench/run_all.py

lab: $(STAMP)
	$(VENV)/bin/jupyter lab lessons/

docs: $(STAMP)
	$(VENV)/bin/mkdocs serve

docs-build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

clean:
	rm -rf $(VENV) site out .pytest_cache .hypothesis .cache
