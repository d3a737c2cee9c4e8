# The two commands of the README: `make run` and `make test`. Nothing else needs doing first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: install run test test-sqlite test-postgres lint format messages vendor bench bench-trace bench-capture bench-bills bench-monitoring clean system-deps

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Local use: DEBUG on, a secret key generated once under var/, SQLite unless DATABASE_URL says otherwise.
run: install
	DEBUG=$${DEBUG:-1} $(BIN)/coopchain migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/coopchain demo
	DEBUG=$${DEBUG:-1} $(BIN)/coopchain collectstatic --noinput --verbosity 0
	DEBUG=$${DEBUG:-1} $(BIN)/coopchain serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian's Chromium drives the browser tests, and gettext remakes the catalogue the language
# tests compare. As root, install them when missing; elsewhere the browser tests say why they were
# skipped (in CI they fail instead).
system-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
	  echo "--- installing Chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
	  || echo "Chromium could not be installed: the browser tests will not run."; \
	fi
	@if ! command -v xgettext >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "--- installing gettext for the catalogue check"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends gettext >/dev/null) \
	  || echo "gettext could not be installed: the catalogue check will fail."; \
	fi

# The whole suite: lint, then the tests on SQLite, then on PostgreSQL when TEST_POSTGRES_URL names
# one. Both run even if the first fails, so each database's failures show. Two workers, one per core.
PYTEST_WORKERS ?= 2
test: install system-deps lint
	@status=0; \
	echo "--- the suite on SQLite"; \
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) || status=$$?; \
	if [ -n "$$TEST_POSTGRES_URL" ]; then \
	  echo "--- the same suite on PostgreSQL"; \
	  DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) || status=$$?; \
	fi; \
	exit $$status

messages: install
	cd coopchain && ../$(BIN)/coopchain makemessages -l vi --no-obsolete && ../$(BIN)/coopchain compilemessages -l vi

# Backward and forward traces over a synthetic chain of 1 million lots (SCALE=0.05 for a quick run);
# on PostgreSQL too when TEST_POSTGRES_URL is set.
bench-trace: install
	$(BIN)/python bench/trace/run.py --scale $${SCALE:-1}
	@if [ -n "$$TEST_POSTGRES_URL" ]; then $(BIN)/python bench/trace/run.py --scale $${SCALE:-1} --pg-from-env; fi

# EPCIS documents of 500 events posted over HTTP to a running server (DOCUMENTS=20 by default),
# against a bare bulk insert of the same rows.
bench-capture: install
	$(BIN)/python bench/capture/run.py --documents $${DOCUMENTS:-20}

# Milk bills of one 10-day period for 30,000 farmers and 600,000 deliveries (SCALE=0.05 for a
# quick run); on PostgreSQL too when TEST_POSTGRES_URL is set.
bench-bills: install
	$(BIN)/python bench/bills/run.py --scale $${SCALE:-1}
	@if [ -n "$$TEST_POSTGRES_URL" ]; then $(BIN)/python bench/bills/run.py --scale $${SCALE:-1} --pg-from-env; fi

# The province dashboard over 22,000 cooperatives, 6 million households and 20 million deliveries
# (SCALE=0.05 for a quick run); the generated database is kept under var/bench/ and reused.
# On PostgreSQL too when TEST_POSTGRES_URL is set.
bench-monitoring: install
	$(BIN)/python bench/monitoring/run.py --scale $${SCALE:-1}
	@if [ -n "$$TEST_POSTGRES_URL" ]; then $(BIN)/python bench/monitoring/run.py --scale $${SCALE:-1} --pg-from-env; fi

vendor:
	bash frontend/vendor.sh

clean:
	rm -rf $(VENV) var
