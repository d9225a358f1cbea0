"""Prometheus metrics of this process: one registry, its metrics, helpers that label them.

Label values that clients choose (operation names, job kinds) are capped, so a client cannot
grow the registry, or a scrape, without bound.
"""

import asyncio
import re
from collections import Counter as Tally

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)

from models import JobStatus
from services import sql

REGISTRY = CollectorRegistry()
for _standard in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    REGISTRY.register(_standard)

OPERATIONS = Counter(
    "storygraph_graphql_operations",
    "GraphQL operations by operation name, type and outcome (`ok`, or the first error's code).",
    ["operation", "type", "outcome"],
    registry=REGISTRY,
)
OPERATION_SECONDS = Histogram(
    "storygraph_graphql_operation_duration_seconds",
    "Time to answer a query or mutation, from receipt of the document to the result.",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
WEBSOCKETS = Gauge(
    "storygraph_websocket_connections",
    "WebSocket connections open now.",
    registry=REGISTRY,
)
SUBSCRIPTIONS = Gauge(
    "storygraph_graphql_subscriptions_active",
    "GraphQL subscriptions streaming now.",
    registry=REGISTRY,
)
LIVE_FEEDS = Gauge(
    "storygraph_live_feeds",
    "Shared live feeds running now: one per stream, selection and rights (schema.fanout).",
    registry=REGISTRY,
)
LIVE_PARKED = Gauge(
    "storygraph_live_parked_streams",
    "Subscriptions whose stream lives in a shared feed with no task of its own (schema.fanout).",
    registry=REGISTRY,
)
ASYNCIO_TASKS = Gauge(
    "storygraph_asyncio_tasks",
    "Asyncio tasks alive in this process (each costs memory: a live subscriber should not own "
    "one beyond its connection's).",
    registry=REGISTRY,
)


def _tasks_alive() -> int:
    try:
        return len(asyncio.all_tasks())
    except RuntimeError:  # scraped outside the event loop (no tasks of its own to count)
        return 0


ASYNCIO_TASKS.set_function(_tasks_alive)


LIVE_EXECUTIONS = Counter(
    "storygraph_live_event_executions",
    "Events executed and encoded by shared live feeds: once per event and feed, whatever the "
    "number of subscribers it reaches.",
    registry=REGISTRY,
)
SLOW_CONSUMERS = Counter(
    "storygraph_websocket_slow_consumer_closes",
    "WebSockets closed with 4413 because the client did not read and its outbox overflowed.",
    registry=REGISTRY,
)
JOBS = Gauge(
    "storygraph_jobs",
    "Jobs in the database by status and kind, counted when /metrics is scraped.",
    ["status", "kind"],
    registry=REGISTRY,
)
JOB_RUN_SECONDS = Histogram(
    "storygraph_job_run_duration_seconds",
    "Time a worker of this process spent running a job, by kind and outcome.",
    ["kind", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0),
    registry=REGISTRY,
)
EVENTS_PUBLISHED = Counter(
    "storygraph_events_published",
    "Broker messages published by this process, by channel (`job`, `project`, `jobs` queue).",
    ["channel"],
    registry=REGISTRY,
)
EVENTS_DELIVERED = Counter(
    "storygraph_events_delivered",
    "Broker messages handed to a local subscriber of this process (one per subscriber).",
    ["channel"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "storygraph_rate_limited",
    "Requests refused with RATE_LIMITED, by limit (`caller`, `login_email`, `login_address`).",
    ["limit"],
    registry=REGISTRY,
)
RATE_LIMITER_ERRORS = Counter(
    "storygraph_rate_limiter_errors",
    "Rate-limit checks that could not be made (Redis unreachable); the request was allowed.",
    registry=REGISTRY,
)

ANONYMOUS = "(none)"
OTHER = "(other)"
MAX_OPERATION_NAMES = 500
MAX_JOB_KINDS = 100
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")
_operation_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """The operation name as a label value: the first MAX_OPERATION_NAMES names, then OTHER."""
    if name is None:
        return ANONYMOUS
    if name in _operation_names:
        return name
    if len(_operation_names) >= MAX_OPERATION_NAMES or not _NAME.fullmatch(name):
        return OTHER
    _operation_names.add(name)
    return name


def record_operation(
    name: str | None, type_: str | None, outcome: str, seconds: float | None
) -> None:
    """Count one operation; `seconds` (None for subscriptions) goes to the latency histogram."""
    operation = operation_label(name)
    kind = type_ or "unknown"
    OPERATIONS.labels(operation, kind, outcome).inc()
    if seconds is not None:
        OPERATION_SECONDS.labels(operation, kind).observe(seconds)


def channel_label(channel: str) -> str:
    return channel.split(":", 1)[0]


def record_published(channel: str) -> None:
    EVENTS_PUBLISHED.labels(channel_label(channel)).inc()


def record_delivered(channel: str, subscribers: int) -> None:
    if subscribers:
        EVENTS_DELIVERED.labels(channel_label(channel)).inc(subscribers)


async def refresh_job_counts() -> None:
    """Set the JOBS gauge from ONE GROUP BY over the jobs table.

    Every status of every kind gets a value (0 included), so a series drops to 0 instead of
    vanishing; kinds beyond the MAX_JOB_KINDS most numerous are summed under OTHER.
    """
    rows = await sql.fetch("SELECT kind, status, COUNT(*) AS n FROM jobs GROUP BY kind, status")
    per_kind: Tally[str] = Tally()
    for row in rows:
        per_kind[row["kind"]] += int(row["n"])
    kept = {kind for kind, _ in per_kind.most_common(MAX_JOB_KINDS)}
    counts: Tally[tuple[str, str]] = Tally()
    for row in rows:
        kind = row["kind"] if row["kind"] in kept else OTHER
        counts[(kind, str(row["status"]))] += int(row["n"])
    # Synchronous from here on: a concurrent scrape never sees a half-filled gauge.
    JOBS.clear()
    for kind in {kind for kind, _ in counts}:
        for status in JobStatus:
            JOBS.labels(status.value, kind).set(counts[(kind, status.value)])
