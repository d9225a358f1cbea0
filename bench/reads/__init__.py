"""Read-performance benchmark: Storygraph against a minimal asyncpg + orjson baseline.

`python -m bench.reads` (or `make bench`) seeds a fresh PostgreSQL database with COPY, starts
Storygraph and the baseline (bench.reads.baseline) each in its own one-worker uvicorn process,
checks that both answer the three read documents (bench.reads.documents) with equal JSON,
counts SQL statements per request, then drives both with a closed-loop load generator
(bench.reads.load, a separate process), interleaved, and prints requests/s, latency percentiles,
statements, bytes and CPU per request for each workload and server.
"""
