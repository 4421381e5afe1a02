# The README's vocabulary: make demo, make test, make bench, make lint.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages: gettext to compile the translation catalogues, a browser for the UI tests, Net-SNMP's agent and tools for the SNMP tests,
# Redis and RabbitMQ for the distributed mode's real workers and `make stack`, docker-compose to
# validate docker-compose.yml (no engine needed), iproute2 for the namespace tests (`ip netns`),
# fping for the prober's ICMP benchmark.
DEBIAN_PACKAGES := gettext chromium snmpd snmp fonts-dejavu-core patchelf prometheus-snmp-exporter python3-venv python3-gdbm redis-server rabbitmq-server docker-compose iproute2 fping
PYTEST_WORKERS ?= auto

.PHONY: install demo stack test bench lint format clean

# The translation catalogues, compiled from their sources (menhir/catalogues.py re-extracts them).
PO_FILES := $(wildcard */locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

install: $(STAMP) $(MO_FILES)

%.mo: %.po | $(STAMP)
	@msgfmt --check -o $@ $<

$(STAMP): pyproject.toml package-lock.json scripts/system-deps.sh
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Menhir needs Python 3.11 or newer")'
	@scripts/system-deps.sh $(DEBIAN_PACKAGES)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: install Debian's python3-venv" >&2; exit 1; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@command -v npm >/dev/null || scripts/system-deps.sh npm
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: install
	$(BIN)/menhir demo

# The production topology without Docker: database, Redis, web, two workers, beat, lab.
stack: install
	$(BIN)/menhir stack

test: install
	@scripts/services.sh
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .data/static
