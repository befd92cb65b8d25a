# The two commands a newcomer needs:  make lab  and  make test.
# make lab installs what a learner needs (the course package and JupyterLab, nothing else); make test
# adds the test tools, make demo adds Voila. Each install is done once: a stamp in .venv records it
# and re-running installs nothing (only a change to pyproject.toml redoes it). A .venv that is
# missing, broken, or made by a Python older than 3.11 (or another one than PYTHON=... asks for) is
# (re)made with $(PYTHON), after checking that this Python is new enough: no `make clean` needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
HASH   := $(shell cksum < pyproject.toml | cut -d' ' -f1)
# JupyterLab refuses to run as root unless told to (CI and containers run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# pytest-xdist workers for the tests: one per core (make test JOBS=1: one at a time), a test file each.
JOBS   ?= auto
XDIST  := -n $(JOBS) --dist loadfile --no-loadscope-reorder

# Is .venv usable? "ok", "old" (Python < 3.11 or not a virtualenv), "other" (not the Python that
# PYTHON=... on the command line names), "broken" (its python does not run) or "missing".
PY_ID := import sys; print(sys.version)
ifeq ($(wildcard $(BIN)/python),)
VENV_STATE := $(if $(wildcard $(VENV)),broken,missing)
else
VENV_STATE := $(shell $(BIN)/python -c 'import sys; print("ok" if sys.version_info >= (3, 11) \
	and sys.prefix != sys.base_prefix else "old")' 2>/dev/null || echo broken)
ifeq ($(VENV_STATE)$(origin PYTHON),okcommand line)
ifneq ($(shell $(BIN)/python -c '$(PY_ID)'),$(shell $(PYTHON) -c '$(PY_ID)' 2>/dev/null))
VENV_STATE := other
endif
endif
endif

# Stamps: one per install, named after pyproject.toml's checksum.
LAB_STAMP   := $(VENV)/.lab-$(HASH)
TEST_STAMP  := $(VENV)/.test-$(HASH)
DEMO_STAMP  := $(VENV)/.demo-$(HASH)
BENCH_STAMP := $(VENV)/.bench-$(HASH)

# The course's JupyterLab: no "get notified about Jupyter news?" pop-up (settings overrides in .venv).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
LAB_OVERRIDES := {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}

.PHONY: lab test unit notebooks lint clean help demo bench assignments solutions lite FORCE

help:
	@echo "make lab    - install (first time) and open the course in JupyterLab"
	@echo "make test   - install the test tools (first time) and run lint, unit tests, every notebook (nbval) and the browser tests"
	@echo "make demo   - serve the playground as a classroom app (Voila) on http://127.0.0.1:8866"
	@echo "make bench  - install the bench extra and run the benchmarks (python -m benchmarks)"
	@echo "make assignments - graded exercises for nbgrader and Otter under build/assignments (see TEACHING.md)"
	@echo "make solutions   - notebooks 02-07 with the reference answers, executed, under build/solutions"
	@echo "make lite        - a JupyterLite site (everything runs in the browser) under build/lite/_site"
	@echo "make clean  - remove .venv and caches"
	@echo "Another Python (3.11 or newer):  make lab PYTHON=python3.12"

# The virtualenv, (re)made only when VENV_STATE is not ok. The Python check comes first, so a Python
# that is too old never leaves a .venv behind.
$(VENV)/pyvenv.cfg: $(if $(filter ok,$(VENV_STATE)),,FORCE)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "The course needs Python 3.11 or newer; PYTHON=$(PYTHON) is:" \
	    "$$($(PYTHON) --version 2>/dev/null || echo not found)."; \
	  echo "Install a newer Python and name it, for example:  make $(or $(firstword $(MAKECMDGOALS)),lab) PYTHON=python3.11"; \
	  exit 1; }
	@if [ -e $(VENV) ]; then echo "Replacing $(VENV) ($(VENV_STATE)) with a new one made by $(PYTHON)"; rm -rf $(VENV); fi
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt install python3-venv (or python3.X-venv), then retry."; \
	  exit 1; }

FORCE:

# -e: the notebooks import mlp_course/ as it is in this folder (edits need no reinstall).
$(LAB_STAMP): pyproject.toml $(VENV)/pyvenv.cfg
	@echo "Installing the course and JupyterLab into $(VENV) (first time only: about a minute)"
	$(PIP) --upgrade pip
	$(PIP) -e ".[lab]"
	@mkdir -p $(LAB_SETTINGS)
	@printf '%s\n' '$(LAB_OVERRIDES)' > $(LAB_SETTINGS)/overrides.json
	@rm -f $(VENV)/.lab-* && touch $@

$(TEST_STAMP): $(LAB_STAMP)
	@echo "Installing the test tools into $(VENV) (first time only)"
	$(PIP) -e ".[lab,test]"
	@rm -f $(VENV)/.test-* && touch $@

$(DEMO_STAMP): $(LAB_STAMP)
	$(PIP) -e ".[lab,demo]"
	@rm -f $(VENV)/.demo-* && touch $@

$(BENCH_STAMP): $(LAB_STAMP)
	$(PIP) -e ".[lab,bench]"
	@rm -f $(VENV)/.bench-* && touch $@

# Both servers give their kernels CurveZMQ keys (ipykernel declares support), else every kernel logs
# "running over TCP without encryption".
SERVER_FLAGS := --MappingKernelManager.transport_encryption=auto

# The course notebooks are trusted (their saved outputs, e.g. notebook 05's animation, show before
# re-running; Jupyter keeps trust in $$HOME and it follows each notebook's content). Voila's server
# extension (there once make test or make demo installed Voila) is left out of the course's Lab:
# importing voila turns on traitlets' deprecation warnings in the Lab server, which then prints
# "ServerApp.token config is deprecated" (no flag of ours sets it). The classroom app has make demo.
lab: $(LAB_STAMP)
	@$(BIN)/jupyter trust notebooks/*.ipynb > /dev/null 2>&1
	$(BIN)/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks $(SERVER_FLAGS) \
	  --ServerApp.jpserver_extensions voila.server_extension=False

# Classroom mode: the playground alone, code hidden, for projecting in class. The app notebook is
# trusted first, else Voila logs "not trusted".
demo: $(DEMO_STAMP)
	@$(BIN)/jupyter trust notebooks/classroom_app.ipynb > /dev/null 2>&1
	$(BIN)/voila --no-browser --port 8866 --Voila.ip=127.0.0.1 $(SERVER_FLAGS) notebooks/classroom_app.ipynb

# Benchmarks (benchmarks/bench_*.py): print their tables, save plots under benchmarks/results/.
# Add ARGS="--quick" for a fast smoke pass, or ARGS="training" for one benchmark.
bench: $(BENCH_STAMP)
	MPLBACKEND=Agg $(BIN)/python -m benchmarks $(ARGS)

# The teacher kit (TEACHING.md); its tools come with the test extra. Outputs under build/ (git-ignored).
assignments: $(TEST_STAMP)
	$(BIN)/python -m mlp_course.teacher.export build/assignments

solutions: $(TEST_STAMP)
	$(BIN)/python -m mlp_course.teacher.solved build/solutions

lite: $(TEST_STAMP)
	$(BIN)/python -m mlp_course.teacher.lite build/lite

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

unit: $(TEST_STAMP)
	$(BIN)/python -m pytest $(XDIST) tests --ignore=tests/browser
	$(BIN)/python -m pytest $(XDIST) tests/browser

notebooks: $(TEST_STAMP)
	$(BIN)/python -m pytest $(XDIST) $(NBVAL) notebooks

# Two pytest runs, each spread over the cores by pytest-xdist, a whole test file per worker (so each
# notebook keeps its one kernel), the longest files first (tests/run_order.py). First the unit tests (the
# wheel install test among them) and every notebook under strict nbval (outputs compared); then the
# browser tests, which drive JupyterLab and Voila in Chromium and so must not share a process with the
# kernels the first run starts: every notebook at learner settings on one worker, the playground and
# backprop-diagram pages on the other.
test: $(TEST_STAMP) lint
	$(BIN)/python -m pytest $(XDIST) tests notebooks $(NBVAL) --ignore=tests/browser
	$(BIN)/python -m pytest $(XDIST) tests/browser

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache test-artifacts build dist *.egg-info
