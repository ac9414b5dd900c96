# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SIHUB_DB ?= data/sihub.duckdb
PORT ?= 8501
export SIHUB_DB

.PHONY: run test lint demo bench clean chromium postgresql

# The virtual environment is rebuilt when a requirements file changes (stamp files).
$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.test: $(BIN)/.runtime requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# A DuckDB file is built with demo data the first time; a PostgreSQL URL is a store someone
# runs (fill an empty one with `make demo` or `python -m sihub copy`).
ifeq (,$(findstring ://,$(SIHUB_DB)))
STORE_FILE := $(SIHUB_DB)
$(STORE_FILE): | $(BIN)/.runtime
	$(BIN)/python -m sihub demo --db $(SIHUB_DB)
endif

run: $(BIN)/.runtime $(STORE_FILE)
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

demo: $(BIN)/.runtime
	$(BIN)/python -m sihub demo --db $(SIHUB_DB) --replace

# Browser tests drive Debian's chromium; install it when it is missing (never a download
# by Playwright, which cannot reach its servers from here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The store tests start a throwaway PostgreSQL of their own (tests/pg.py: initdb into a
# temporary folder, pg_ctl on a free localhost port); install Debian's server when it is missing.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }

lint: $(BIN)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/.test chromium postgresql lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(BIN)/.runtime
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
