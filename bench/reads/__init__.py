"""Read-performance benchmark: Storygraph against PostGraphile 5 and a minimal asyncpg floor.

`python -m bench.reads` (or `make bench`) seeds a fresh PostgreSQL database with COPY, starts
the floor (bench.reads.baseline: raw ASGI, asyncpg, orjson), PostGraphile 5 (bench.reads.graphile,
Node 22) and Storygraph, each in its own process (both Python servers: one uvicorn worker on
uvloop + httptools), checks that they answer the three read workloads (bench.reads.documents) with
the same data, counts SQL statements per request, then drives them with a closed-loop load
generator (bench.reads.load, a separate process), interleaved per round, and prints requests/s,
latency percentiles, statements, bytes and CPU per request for each workload and system.
"""
