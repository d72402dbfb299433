# Two commands on a fresh machine with Python 3.11: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# A comma inside $(call ...) would split the argument, so the extras are named here.
DEV_EXTRAS := .[test,dev]
# The suite runs on every core CI gives us (two): tests start their own servers on free loopback ports.
TEST_WORKERS ?= 2

.PHONY: serve test test-fast check lint bench clean

# uv when present (fast), else the standard library's venv + pip.
define install
	@if command -v uv >/dev/null 2>&1; then \
		[ -x $(BIN)/python ] || uv venv --python $(PYTHON) $(VENV); \
		uv pip install --python $(BIN)/python -e '$(1)'; \
	else \
		[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV); \
		$(BIN)/python -m pip install --quiet --upgrade pip; \
		$(BIN)/python -m pip install --quiet -e '$(1)'; \
	fi
endef

$(VENV)/.installed: pyproject.toml
	$(call install,.)
	@touch $@

$(VENV)/.installed-test: pyproject.toml
	$(call install,.[test])
	@touch $@ $(VENV)/.installed

serve: $(VENV)/.installed
	$(BIN)/pymockapi serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --json-report --json-report-file=pytest_results.json --json-report-omit=log \
		--cov=pymockapi --cov-branch --cov-report=term-missing:skip-covered --cov-report=json:.coverage.json
	$(BIN)/python .ci/coverage_gate.py .coverage.json

# The inner loop: everything but the slow end-to-end tests (real processes, pty, OBS, the benchmark).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -m "not slow"

check: $(VENV)/.installed
	$(BIN)/pymockapi check

$(VENV)/.installed-dev: pyproject.toml
	$(call install,$(DEV_EXTRAS))
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check pymockapi stories tests
	$(BIN)/mypy --strict pymockapi

bench: $(VENV)/.installed
	$(BIN)/pymockapi bench --sessions 12 --requests 1000 --json benchmarks/last.json

clean:
	rm -rf $(VENV) .pymockapi .coverage .coverage.json
