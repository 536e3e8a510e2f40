# qray: every target creates (once) and reuses the virtual environment in .venv.
#   make sweep   run the default simulator sweep on an embedded local Ray
#   make netsim  run the paper2 routing-testbed matrix (jobs/conf/netsim_paper2.yaml)
#   make qkernel run the quantum-kernel SVM pipeline on digits (jobs/conf/qkernels.yaml)
#   make cloud   train, export and evaluate the cloud schedulers (jobs/conf/cloud.yaml)
#   make router  train, export and compare the qubit routers (jobs/conf/routing.yaml)
#   make bench-routing  Routing env steps/s vs qgym's (qgym only in .venv-qgym)
#   make deploy  one episode through the newest DQN scheduler with SamplerV2 on fake backends
#   make test    run the test suite (the command CI runs)
#   make reliability  run only the reliability suite, printing its figures as it goes
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.qray-installed
ARGS ?=

export RAY_USAGE_STATS_ENABLED ?= 0

.PHONY: browser qgym-venv install sweep netsim qkernel cloud deploy router reliability test test-all lint bench bench-routing clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# the CPU build of torch first, so nothing pulls the CUDA wheels
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[test,mqt,mlflow,wandb]"
	touch $(STAMP)

install: $(STAMP)

# Token auth for the embedded Ray that `make sweep` starts (Ray 2.60's default for local
# clusters, made explicit); the tests choose their own mode per cluster.
sweep: $(STAMP)
	RAY_AUTH_MODE=$${RAY_AUTH_MODE:-token} $(BIN)/python jobs/sweep.py $(ARGS)

netsim: $(STAMP)
	RAY_AUTH_MODE=$${RAY_AUTH_MODE:-token} $(BIN)/python jobs/sweep.py --config jobs/conf/netsim_paper2.yaml $(ARGS)

qkernel: $(STAMP)
	RAY_AUTH_MODE=$${RAY_AUTH_MODE:-token} $(BIN)/python jobs/qkernel.py $(ARGS)

cloud: $(STAMP)
	RAY_AUTH_MODE=$${RAY_AUTH_MODE:-token} $(BIN)/python jobs/train_scheduler.py $(ARGS)

router: $(STAMP)
	RAY_AUTH_MODE=$${RAY_AUTH_MODE:-token} $(BIN)/python jobs/train_router.py $(ARGS)

deploy: $(STAMP)
	$(BIN)/python jobs/deploy_scheduler.py --mode local $(ARGS)

# the dashboard browser test's Chromium (Debian's package where apt and root are at hand)
browser:
	bash tests/install-browser.sh

# the qgym differential tests' venv; where it cannot be built they skip and say why
qgym-venv: $(STAMP)
	-$(MAKE) --no-print-directory $(QGYM_STAMP)

test: $(STAMP) browser qgym-venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not slow" --durations=25 $(ARGS)

reliability: $(STAMP)
	$(BIN)/python -m pytest tests/reliability -s -q $(ARGS)

test-all: $(STAMP) browser qgym-venv
	$(BIN)/python -m pytest $(ARGS)

QGYM_STAMP := .venv-qgym/.installed

# qgym only in its own venv (never a qray dependency), pinned to the same shared packages
$(QGYM_STAMP): $(STAMP)
	$(PYTHON) -m venv .venv-qgym
	$(BIN)/pip freeze --exclude-editable | grep -v -i '^torch\|^qray' > .venv-qgym/constraints.txt
	.venv-qgym/bin/pip install -q qgym==0.3.1 -c .venv-qgym/constraints.txt
	touch $@

bench-routing: $(STAMP) $(QGYM_STAMP)
	$(BIN)/python jobs/bench_routing.py --qgym-python .venv-qgym/bin/python $(ARGS)

bench: $(STAMP)
	$(BIN)/python jobs/bench_runtime.py $(ARGS)
	$(BIN)/python jobs/bench_netsim.py
	$(BIN)/python jobs/bench_qkernels.py

clean-venv:
	rm -rf $(VENV)
