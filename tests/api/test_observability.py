"""Observability: one JSON log line per operation, Prometheus metrics at /metrics, OTel tracing.

Checked against the issue: the log line names the operation, its type, duration, outcome and
error codes and the caller by user / API-key id, and never holds a token, a password or the
request body; /metrics counts operations by name and outcome with latency histograms, open
WebSockets and active subscriptions, jobs by status and kind, job run time, events published
and delivered. Metrics are process-wide, so the tests compare values before and after.
"""

import asyncio
import logging
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from tortoise import connections

from app import create_app
from schema.observability import tracing, tracing_requested
from schema.socket_protocol import UVICORN_WS
from services.logs import JsonFormatter, TextFormatter, configure_logging
from services.settings import Settings
from tests.conftest import MakeApi
from tests.helpers import PASSWORD, Api, User, create_project, sign_up
from tests.live.clients import PROTOCOLS, TRANSPORT_WS, Protocol, ws_client

ME = "query Me { me { id email } }"
LOG_IN = """
mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { id } }
}
"""
UPDATE_PROJECT = """
mutation UpdateProject($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id }
}
"""
CREATE_API_KEY = """
mutation CreateApiKey($name: String!) { createApiKey(name: $name) { key apiKey { id } } }
"""
CREATE_JOB = """
mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { id status } }
"""
CLAIM_JOB = "mutation ClaimJob($kinds: [String!]!) { claimJob(kinds: $kinds) { id } }"
CANCEL_JOB = "mutation CancelJob($id: ID!) { cancelJob(id: $id) { id status } }"
REPORT_JOB_PROGRESS = """
mutation ReportJobProgress($id: ID!, $progress: Int!) {
  reportJobProgress(id: $id, progress: $progress) { id seq }
}
"""
GENERATE_STORYBOARD = """
mutation GenerateStoryboard($input: GenerateStoryboardInput!) {
  generateStoryboard(input: $input) { id }
}
"""
JOB_STATUS = "query JobStatus($id: ID!) { job(id: $id) { id status } }"
JOB_PROGRESS = """
subscription JobProgress($jobId: ID!) { jobProgress(jobId: $jobId) { jobId seq status progress } }
"""
LOG_KEYS = {
    "ts",
    "level",
    "logger",
    "message",
    "operation_name",
    "operation_type",
    "transport",
    "duration_ms",
    "outcome",
    "error_codes",
    "user_id",
    "api_key_id",
}


# --- helpers -----------------------------------------------------------------------------------


class Lines(logging.Handler):
    """The operation log lines, formatted exactly as the app writes them."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def entries(self) -> list[dict[str, Any]]:
        return [orjson.loads(line) for line in self.lines]


@pytest.fixture
def operation_log() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger("storygraph.operations")
    previous = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


async def scrape(api: Api) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """GET /metrics, as {(sample name, labels): value}."""
    response = await api.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    metrics: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return metrics.get((name, frozenset(labels.items())), 0.0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def serve(settings: Settings, **overrides: Any) -> AsyncIterator[Api]:
    """The app under a real uvicorn in this process (for WebSockets), on empty tables."""
    port = free_port()
    app = create_app(settings.model_copy(update=overrides))
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_config=None,
            lifespan="on",
            ws=UVICORN_WS,  # as deployed
            ws_per_message_deflate=False,
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                assert not task.done(), "uvicorn stopped during start-up"
                await asyncio.sleep(0.02)
        await connections.get("default").execute_query("DELETE FROM users")
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=10) as client:
            yield Api(client, app)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 15)


def ws_base(api: Api) -> str:
    return str(api.client.base_url).rstrip("/")


def inline_log_in(email: str, password: str) -> str:
    """A logIn whose password is written into the document, not passed as a variable."""
    return f'mutation InlineLogIn {{ logIn(email: "{email}", password: "{password}") {{ token }} }}'


async def create_api_key(api: Api, user: User) -> tuple[str, str]:
    data = await api.gql(CREATE_API_KEY, user.token, name="partner")
    return data["createApiKey"]["key"], data["createApiKey"]["apiKey"]["id"]


async def wait_for(check: Any, seconds: float = 5.0) -> None:
    """Poll `check()` until it is true; fail after `seconds`."""
    for _ in range(int(seconds / 0.02)):
        if await check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{check.__name__} still false after {seconds} s")


# --- the log line ------------------------------------------------------------------------------


async def test_each_operation_logs_one_json_line_naming_it_and_its_caller(
    api: Api, operation_log: Lines
) -> None:
    user = await sign_up(api)
    operation_log.lines.clear()

    await api.gql(ME, user.token)

    [entry] = operation_log.entries()
    assert set(entry) == LOG_KEYS
    assert entry["level"] == "INFO"
    assert entry["logger"] == "storygraph.operations"
    assert entry["message"] == "graphql operation"
    assert entry["operation_name"] == "Me"
    assert entry["operation_type"] == "query"
    assert entry["transport"] == "http"
    assert entry["outcome"] == "ok"
    assert entry["error_codes"] == []
    assert entry["user_id"] == user.id
    assert entry["api_key_id"] is None
    assert isinstance(entry["duration_ms"], float)
    assert 0 < entry["duration_ms"] < 10_000


async def test_the_log_line_of_a_failed_operation_carries_its_error_codes(
    api: Api, operation_log: Lines
) -> None:
    user = await sign_up(api)
    operation_log.lines.clear()

    error = await api.gql_error(UPDATE_PROJECT, user.token, id=str(uuid.uuid4()), input={})

    assert error["extensions"]["code"] == "NOT_FOUND"
    [entry] = operation_log.entries()
    assert entry["operation_name"] == "UpdateProject"
    assert entry["operation_type"] == "mutation"
    assert entry["outcome"] == "error"
    assert entry["error_codes"] == ["NOT_FOUND"]
    assert entry["user_id"] == user.id


async def test_a_document_that_does_not_parse_is_logged_without_a_name_or_type(
    api: Api, operation_log: Lines
) -> None:
    await api.gql_error("query Broken {")

    [entry] = operation_log.entries()
    assert entry["operation_name"] is None
    assert entry["operation_type"] is None
    assert entry["error_codes"] == ["BAD_USER_INPUT"]
    assert entry["user_id"] is None


async def test_the_log_line_names_the_api_key_and_its_user(api: Api, operation_log: Lines) -> None:
    user = await sign_up(api)
    key, key_id = await create_api_key(api, user)
    operation_log.lines.clear()

    await api.gql(ME, key)

    [entry] = operation_log.entries()
    assert entry["api_key_id"] == key_id
    assert entry["user_id"] == user.id
    assert key not in operation_log.lines[0]


async def test_no_token_password_or_body_is_ever_logged(api: Api, operation_log: Lines) -> None:
    user = await sign_up(api)
    wrong = "not-the-password-4f9c2"
    await api.gql_error(LOG_IN, email=user.email, password=wrong)
    token = (await api.gql(LOG_IN, email=user.email, password=PASSWORD))["logIn"]["token"]
    await api.gql(inline_log_in(user.email, PASSWORD))
    await api.gql(ME, token)

    logged = "\n".join(operation_log.lines)
    entries = operation_log.entries()
    assert [e["operation_name"] for e in entries] == [
        "SignUp",
        "LogIn",
        "LogIn",
        "InlineLogIn",
        "Me",
    ]
    assert [e["error_codes"] for e in entries] == [[], ["UNAUTHENTICATED"], [], [], []]
    for secret in (PASSWORD, wrong, user.token, token, user.email, "logIn(", "me {"):
        assert secret not in logged


def test_every_log_record_is_one_json_line_with_its_extra_fields() -> None:
    logger = logging.getLogger("storygraph.test")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logger.makeRecord(
            "storygraph.test",
            logging.ERROR,
            __file__,
            1,
            "failed %s",
            ("twice",),
            sys.exc_info(),
            extra={"job_id": uuid.UUID(int=1), "counts": {1: 2**70}},
        )
    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = orjson.loads(line)
    assert set(entry) == {"ts", "level", "logger", "message", "job_id", "counts", "exc_info"}
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "storygraph.test",
        "failed twice",
    )
    assert entry["job_id"] == str(uuid.UUID(int=1))
    assert entry["exc_info"].startswith("Traceback (most recent call last):")
    assert entry["exc_info"].endswith("ValueError: boom")
    assert entry["ts"].endswith("+00:00")


def test_the_text_format_shows_the_extra_fields_too() -> None:
    record = logging.makeLogRecord(
        {
            "name": "storygraph.operations",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "graphql operation",
            "operation_name": "Me",
            "outcome": "ok",
        }
    )
    line = TextFormatter().format(record)
    assert line.endswith(
        "INFO storygraph.operations graphql operation operation_name=Me outcome=ok"
    )


def test_configure_logging_leaves_an_existing_set_up_alone() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    assert handlers  # pytest's own
    configure_logging("DEBUG")
    assert (root.handlers, root.level) == (handlers, level)


# --- /metrics ----------------------------------------------------------------------------------


async def test_metrics_count_operations_by_name_and_outcome_with_latency(api: Api) -> None:
    user = await sign_up(api)
    before = await scrape(api)

    for _ in range(3):
        await api.gql(ME, user.token)
    await api.gql_error(UPDATE_PROJECT, user.token, id=str(uuid.uuid4()), input={})

    after = await scrape(api)
    ops = "storygraph_graphql_operations_total"
    me = {"operation": "Me", "type": "query"}
    assert value(after, ops, **me, outcome="ok") - value(before, ops, **me, outcome="ok") == 3
    update = {"operation": "UpdateProject", "type": "mutation", "outcome": "NOT_FOUND"}
    assert value(after, ops, **update) - value(before, ops, **update) == 1
    latency = "storygraph_graphql_operation_duration_seconds"
    assert value(after, f"{latency}_count", **me) - value(before, f"{latency}_count", **me) == 3
    assert value(after, f"{latency}_sum", **me) > value(before, f"{latency}_sum", **me)
    every = value(after, f"{latency}_bucket", **me, le="+Inf")
    assert every == value(after, f"{latency}_count", **me)


async def test_client_chosen_operation_names_are_capped(api: Api) -> None:
    from services import metrics

    user = await sign_up(api)
    taken = len(metrics._operation_names)
    room = metrics.MAX_OPERATION_NAMES - taken
    assert room > 0
    try:
        metrics._operation_names.update(f"Filler{i}" for i in range(room))
        before = await scrape(api)
        await api.gql("query BrandNewName { me { id } }", user.token)
        after = await scrape(api)
    finally:
        metrics._operation_names.difference_update(f"Filler{i}" for i in range(room))
    ops = "storygraph_graphql_operations_total"
    other = {"operation": "(other)", "type": "query", "outcome": "ok"}
    assert value(after, ops, **other) - value(before, ops, **other) == 1
    assert value(after, ops, operation="BrandNewName", type="query", outcome="ok") == 0


async def test_metrics_count_jobs_by_status_and_kind(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    jobs = []
    for kind in ("render", "render", "render", "voice"):
        data = await api.gql(CREATE_JOB, user.token, input={"projectId": project_id, "kind": kind})
        jobs.append(data["createJob"]["id"])
    await api.gql(CLAIM_JOB, user.token, kinds=["render"])
    await api.gql(CANCEL_JOB, user.token, id=jobs[3])

    metrics = await scrape(api)

    def jobs_of(kind: str) -> dict[str, float]:
        return {
            status: value(metrics, "storygraph_jobs", status=status, kind=kind)
            for status in ("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED")
        }

    assert jobs_of("render") == {
        "QUEUED": 2,
        "RUNNING": 1,
        "SUCCEEDED": 0,
        "FAILED": 0,
        "CANCELLED": 0,
    }
    assert jobs_of("voice") == {
        "QUEUED": 0,
        "RUNNING": 0,
        "SUCCEEDED": 0,
        "FAILED": 0,
        "CANCELLED": 1,
    }
    kinds = {dict(labels)["kind"] for name, labels in metrics if name == "storygraph_jobs"}
    assert kinds == {"render", "voice"}


async def test_metrics_count_events_published(api: Api) -> None:
    user = await sign_up(api)
    project_id = await create_project(api, user)
    before = await scrape(api)

    await api.gql(CREATE_JOB, user.token, input={"projectId": project_id, "kind": "render"})

    after = await scrape(api)
    published = "storygraph_events_published_total"
    # The job's QUEUED event on job:<id>, and the wake-up for workers on jobs:queued.
    for channel in ("job", "jobs"):
        change = value(after, published, channel=channel) - value(
            before, published, channel=channel
        )
        assert change == 1, channel
    assert value(after, published, channel="project") == value(before, published, channel="project")


async def test_metrics_time_the_jobs_the_worker_runs(make_api: MakeApi) -> None:
    async with make_api(run_worker=True) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)
        before = await scrape(api)
        data = await api.gql(
            GENERATE_STORYBOARD,
            user.token,
            input={"projectId": project_id, "title": "Cut", "brief": "A brief.", "sceneCount": 3},
        )
        job_id = data["generateStoryboard"]["id"]

        async def succeeded() -> bool:
            job = (await api.gql(JOB_STATUS, user.token, id=job_id))["job"]
            return bool(job["status"] == "SUCCEEDED")

        await wait_for(succeeded)
        run = "storygraph_job_run_duration_seconds"
        labels = {"kind": "generate_storyboard", "outcome": "ok"}

        async def observed() -> bool:
            after = await scrape(api)
            return (
                value(after, f"{run}_count", **labels) - value(before, f"{run}_count", **labels)
                == 1
            )

        # The worker records the run as its handler returns, just after the job's commit.
        await wait_for(observed)


async def test_metrics_survive_a_database_outage_without_the_jobs_gauge(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import metrics

    async def unreachable() -> None:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(metrics, "refresh_job_counts", unreachable)
    scraped = await scrape(api)

    assert not any(name == "storygraph_jobs" for name, _ in scraped)
    assert any(name == "process_resident_memory_bytes" for name, _ in scraped)


# --- WebSocket: subscriptions, connections, deliveries -----------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_a_subscription_is_counted_while_it_streams_and_logged_when_it_ends(
    settings: Settings, protocol: Protocol, operation_log: Lines
) -> None:
    async with serve(settings) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)
        job = await api.gql(
            CREATE_JOB, user.token, input={"projectId": project_id, "kind": "render"}
        )
        job_id = job["createJob"]["id"]
        await api.gql(CLAIM_JOB, user.token, kinds=["render"])
        before = await scrape(api)
        operation_log.lines.clear()

        async with ws_client(ws_base(api), protocol, user.token) as ws:
            op = await ws.subscribe(JOB_PROGRESS, jobId=job_id)
            assert (await ws.next_value("jobProgress"))["status"] == "RUNNING"
            during = await scrape(api)
            await api.gql(REPORT_JOB_PROGRESS, user.token, id=job_id, progress=40)
            assert (await ws.next_value("jobProgress"))["progress"] == 40
            delivered = await scrape(api)
            await ws.stop(op)

            async def stopped() -> bool:
                return any(e["operation_name"] == "JobProgress" for e in operation_log.entries())

            await wait_for(stopped)
            after_stop = await scrape(api)

        async def closed() -> bool:
            now = await scrape(api)
            return value(now, "storygraph_websocket_connections") == value(
                before, "storygraph_websocket_connections"
            )

        await wait_for(closed)

    connections_ = "storygraph_websocket_connections"
    active = "storygraph_graphql_subscriptions_active"
    assert value(during, connections_) - value(before, connections_) == 1
    assert value(during, active) - value(before, active) == 1
    assert value(after_stop, active) == value(before, active)
    deliveries = "storygraph_events_delivered_total"
    assert (
        value(delivered, deliveries, channel="job") - value(during, deliveries, channel="job") == 1
    )
    [entry] = [e for e in operation_log.entries() if e["operation_name"] == "JobProgress"]
    assert entry["operation_type"] == "subscription"
    assert entry["transport"] == "websocket"
    assert entry["outcome"] == "ok"
    assert entry["user_id"] == user.id
    ops = "storygraph_graphql_operations_total"
    labels = {"operation": "JobProgress", "type": "subscription", "outcome": "ok"}
    assert value(after_stop, ops, **labels) - value(before, ops, **labels) == 1


async def test_a_query_over_websocket_is_logged_as_such(
    settings: Settings, operation_log: Lines
) -> None:
    async with serve(settings) as api:
        user = await sign_up(api)
        operation_log.lines.clear()
        async with ws_client(ws_base(api), TRANSPORT_WS, user.token) as ws:
            await ws.subscribe(ME)
            assert (await ws.next_value("me"))["id"] == user.id

    [entry] = operation_log.entries()
    assert (entry["operation_name"], entry["operation_type"], entry["transport"]) == (
        "Me",
        "query",
        "websocket",
    )


# --- OpenTelemetry -----------------------------------------------------------------------------


def test_tracing_is_off_unless_the_standard_variables_ask_for_it() -> None:
    assert not tracing_requested({})
    assert tracing({}) == []
    assert tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing_requested({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318"})
    assert tracing_requested({"OTEL_TRACES_EXPORTER": "console"})
    assert not tracing_requested({"OTEL_TRACES_EXPORTER": "none"})
    assert not tracing_requested(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}
    )


async def test_traces_name_operations_but_hold_no_arguments_or_document(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("opentelemetry.sdk.trace", reason="the optional `otel` extra")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from schema import schema
    from schema.tracing import SafeOpenTelemetryExtension

    assert len(tracing({"OTEL_TRACES_EXPORTER": "console"})) == 1
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(
        schema,
        "extensions",
        [lambda: SafeOpenTelemetryExtension(tracer_provider=provider), *schema.extensions],
    )
    user = await sign_up(api)
    await api.gql(inline_log_in(user.email, PASSWORD))

    spans = exporter.get_finished_spans()
    [operation] = [s for s in spans if s.name == "mutation InlineLogIn"]
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "InlineLogIn"
    assert operation.attributes["graphql.operation.type"] == "mutation"
    assert any(s.name == "GraphQL Resolving: logIn" for s in spans)
    recorded = repr([(s.name, dict(s.attributes or {})) for s in spans])
    assert PASSWORD not in recorded
    assert user.email not in recorded


async def test_metrics_can_be_kept_for_the_scraper(make_api: MakeApi) -> None:
    async with make_api(metrics_token="scrape-me") as api:
        anonymous = await api.client.get("/metrics")
        wrong = await api.client.get("/metrics", headers={"Authorization": "Bearer nope"})
        scraper = await api.client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert anonymous.status_code == wrong.status_code == 401
    assert "storygraph_" not in anonymous.text + wrong.text
    assert scraper.status_code == 200
    assert "storygraph_graphql_operations_total" in scraper.text
