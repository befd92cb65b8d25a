# The two commands a newcomer needs:  make lab  and  make test.
# Both create .venv on first use; re-running them on a ready .venv installs nothing again
# (the install is redone only when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
# JupyterLab refuses to run as root unless told to (CI and containers run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test unit notebooks lint clean help demo bench

help:
	@echo "make lab    - install (first time) and open the course in JupyterLab"
	@echo "make test   - install (first time) and run lint, unit tests, every notebook (nbval) and the browser tests"
	@echo "make demo   - serve the playground as a classroom app (Voila) on http://127.0.0.1:8866"
	@echo "make bench  - install the bench extra (scikit-learn) and run the benchmarks (python -m benchmarks)"
	@echo "make clean  - remove .venv and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks

# Classroom mode: the playground alone, code hidden, for projecting in class.
demo: $(STAMP)
	$(BIN)/voila --no-browser --port 8866 --Voila.ip=127.0.0.1 notebooks/classroom_app.ipynb

# Benchmarks (benchmarks/bench_*.py): print their tables, save plots under benchmarks/results/.
# Add ARGS="--quick" for a fast smoke pass, or ARGS="training" for one benchmark.
BENCH_STAMP := $(VENV)/.bench-$(shell cksum < pyproject.toml | cut -d' ' -f1)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	rm -f $(VENV)/.bench-*
	touch $@

bench: $(BENCH_STAMP)
	MPLBACKEND=Agg $(BIN)/python -m benchmarks $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

unit: $(STAMP)
	$(BIN)/python -m pytest tests

notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) notebooks

# One pytest run: unit tests, then every notebook under strict nbval (outputs compared), then
# the browser tests (they live in tests/ too), so the closing line counts everything.
test: $(STAMP) lint
	$(BIN)/python -m pytest tests notebooks $(NBVAL)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache test-artifacts
