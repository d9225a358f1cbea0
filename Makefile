# Every target sets up .venv by itself; `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres lint typecheck schema schema-check compose-check migrate worker bench bench-fanout bench-connections bench-load check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,otel]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

# The whole suite on the embedded default (SQLite), then on PostgreSQL + Redis.
test: test-sqlite test-postgres

test-sqlite: $(STAMP)
	TEST_DATABASE=sqlite $(BIN)/pytest -q

test-postgres: $(STAMP)
	TEST_DATABASE=postgres TEST_PG_ADMIN_URL=$(PG_TEST_URL) $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy .

schema: $(STAMP)
	$(BIN)/python -m schema.export > schema.graphql

# Fails when schema.graphql is not what the code exports.
schema-check: $(STAMP)
	$(BIN)/python -m schema.export | diff -u schema.graphql - \
		|| (echo "schema.graphql is stale: run 'make schema'" && exit 1)

migrate: $(STAMP)
	$(BIN)/python -m services.migrate

# A standalone job worker for DATABASE_URL (+ REDIS_URL); run as many as you like.
worker: $(STAMP)
	$(BIN)/python -m services.worker

# The same validation `docker compose config` does (Compose v2), without a Docker engine.
compose-check: $(STAMP)
	SECRET_KEY=compose-check $(BIN)/docker-compose -f docker-compose.yml config --quiet

# Read performance: Storygraph vs PostGraphile 5 vs an asyncpg+orjson floor on a seeded PostgreSQL
# (bench/reads). Installs PostGraphile (npm ci in bench/reads/postgraphile) when missing; without
# npm: `.venv/bin/python -m bench.reads --systems floor,storygraph`.
bench: $(STAMP)
	$(BIN)/python -m bench.reads

check: lint typecheck schema-check compose-check

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# One API process streaming jobProgress to 1,000 WebSocket subscribers (PostgreSQL + Redis):
# latency, lost/duplicated events, memory per subscriber. Options: `python -m bench.fanout -h`.
bench-fanout: $(STAMP)
	$(BIN)/python -m bench.fanout

# Memory per idle WebSocket connection (connection_init, no operation): the connection's share of
# a subscriber. Options: `python -m bench.connections -h`.
bench-connections: $(STAMP)
	$(BIN)/python -m bench.connections

# A realistic mix (dashboard and project-page reads, task toggles, job progress) against ONE API
# process with 500 live WebSocket subscribers (PostgreSQL + Redis): throughput, p50/p99 per
# operation, errors (must be 0), lost events, peak memory. Options: `python -m bench.load -h`.
bench-load: $(STAMP)
	$(BIN)/python -m bench.load
