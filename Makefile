# Each user-facing target sets up .venv itself, so a fresh clone needs nothing else.
# The first set-up downloads packages from the package index (PyPI): it needs the network.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# `make demo` needs only minigrad and its runtime dependencies (numpy, matplotlib);
# the full development stack (pytest, Jupyter, mkdocs) is installed by the other targets.
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: test demo bench lab docs docs-build keras-suite clean

$(PY):
	@echo "Creating $(VENV) (first time only)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(DEMO_STAMP): pyproject.toml | $(PY)
	@echo "Installing minigrad with numpy and matplotlib into $(VENV) (first time only; needs the package index)"
	$(PY) -m pip install --progress-bar on -e .
	touch $(DEMO_STAMP)

$(STAMP): pyproject.toml | $(PY)
	@echo "Installing minigrad with the development tools into $(VENV) (first time only, a few minutes; needs the package index)"
	$(PY) -m pip install --progress-bar on -e '.[dev]'
	touch $(STAMP) $(DEMO_STAMP)

test: $(STAMP)
	MPLBACKEND=Agg $(PY) -m pytest -q

demo: $(DEMO_STAMP)
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
