"""Mixed-load benchmark: one API process on PostgreSQL + Redis under a realistic mix.

`python -m bench.load` (or `make bench-load`) seeds a fresh PostgreSQL database with
bench.reads.seed (50 users by default), starts ONE Storygraph process (uvicorn, Redis broker,
no embedded worker), opens 500 WebSocket subscribers (bench.load.subscribers, its own process)
on the `jobProgress` of a few partner jobs and the `projectProgress` of their owners' projects,
then drives a closed-loop mix (bench.load.mix, its own process) for a fixed time: dashboard
reads (W1), project-page reads (W2), `setTaskCompleted` toggles and `reportJobProgress`.
It reports per operation count, throughput, p50/p99 latency and errors, what the subscribers
received (lost/duplicated events must be 0), the server's memory (RSS, VmHWM) and the CPU of
the server, PostgreSQL, the bench and the rest of the (shared) machine. See bench.load.main.
"""
