"""Parked subscriptions (schema.parked.Parked), end to end: once a WebSocket subscriber's stream
has joined its shared feed, the operation's task ends and the stream lives on in callbacks. What
the client sees must not change — every event once and in order, `complete` at the end, the
error frame and `complete` when the credential is revoked, nothing after its own `complete` or
`stop` (and, on the legacy protocol, Strawberry's `complete` answering `stop`) — and the
operation's log line and gauges are written when the stream really ends, not when it parks.
"""

import asyncio
import json
from contextlib import AsyncExitStack
from typing import Any

import pytest

from tests.helpers import Api, create_project, sign_up
from tests.live.clients import LEGACY_WS, PROTOCOLS, ws_client
from tests.live.conftest import Server
from tests.live.test_fanout import CREATE_API_KEY, REVOKE_API_KEY, metric, open_subscribers
from tests.live.test_live_progress import (
    JOB_PROGRESS,
    assert_stream,
    claimed_job,
    complete,
    eventually,
    report,
    seqs,
)

NAMED = """
subscription Parked($jobId: ID!) { jobProgress(jobId: $jobId) { seq status progress } }
"""
PARKED = "storygraph_live_parked_streams"
TASKS = "storygraph_asyncio_tasks"
ACTIVE = "storygraph_graphql_subscriptions_active"


async def _is(api: Api, name: str, expected: float) -> bool:
    return await metric(api, name) == expected


def logged(server: Server, operation: str) -> list[dict[str, Any]]:
    lines = server.log(server.log_mark).splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return [e for e in entries if e.get("operation_name") == operation]


async def test_a_live_subscriber_keeps_no_task_of_its_own(server_a: Server, api_a: Api) -> None:
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))
    count = 30
    async with asyncio.timeout(90), AsyncExitStack() as stack:
        # The feed, the credential watch and the broker's reader exist from the first one on.
        await open_subscribers(
            stack, server_a, user.token, JOB_PROGRESS, "jobProgress", 1, jobId=job_id
        )
        await eventually(lambda: _is(api_a, PARKED, 1), "the first subscriber parks")
        before = await metric(api_a, TASKS)
        clients = await open_subscribers(
            stack, server_a, user.token, JOB_PROGRESS, "jobProgress", count, jobId=job_id
        )
        await eventually(lambda: _is(api_a, PARKED, count + 1), "every subscriber parks")
        grown = await metric(api_a, TASKS) - before
        # Each further subscriber is one connection, whose ASGI task reads its messages; its
        # operation keeps none (it kept three: Strawberry's, the guard's race, the socket's).
        assert grown <= count + 2, f"{grown} more tasks for {count} more subscribers"
        for n in range(1, 3):
            await report(api_a, user, job_id, n * 10)
        final = await complete(api_a, user, job_id)
        for client in clients:
            assert_stream(await client.values_until_complete("jobProgress"), job_id, 3, final)
    await eventually(lambda: _is(api_a, PARKED, 0), "every parked stream is released")


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_a_parked_subscription_ends_when_its_client_stops_it(
    server_a: Server, api_a: Api, protocol: Any
) -> None:
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))
    active = await metric(api_a, ACTIVE)
    async with (
        asyncio.timeout(60),
        ws_client(server_a.url, protocol, user.token) as stopping,
        ws_client(server_a.url, protocol, user.token) as staying,
    ):
        for client in (staying, stopping):
            await client.subscribe(NAMED, jobId=job_id)
            await client.next_value("jobProgress")
        await eventually(lambda: _is(api_a, PARKED, 2), "both park")
        assert await metric(api_a, ACTIVE) == active + 2
        server_a.mark_log()
        await asyncio.sleep(0.3)
        await stopping.stop("1")
        if protocol is LEGACY_WS:
            # Strawberry's legacy handler answers `stop` with `complete`: a parked one too.
            frame = await stopping.frame()
            assert (frame.type, frame.id) == ("complete", "1")
        await eventually(lambda: _is(api_a, PARKED, 1), "the stopped one is released")
        seq = await report(api_a, user, job_id, 40)
        assert (await staying.next_value("jobProgress"))["seq"] == seq
        await stopping.quiet(0.5)  # nothing more for the stopped operation
        # Its id is free again, and a new subscription under it starts from the current state.
        await stopping.subscribe(NAMED, op_id="1", jobId=job_id)
        assert (await stopping.next_value("jobProgress"))["seq"] == seq
        final = await complete(api_a, user, job_id)
        assert seqs(await staying.values_until_complete("jobProgress")) == [final]
        assert seqs(await stopping.values_until_complete("jobProgress")) == [final]
    await eventually(lambda: _is(api_a, PARKED, 0), "every parked stream is released")
    await eventually(lambda: _is(api_a, ACTIVE, active), "the subscriptions gauge is back")
    # One log line per operation, written when it ended: the stopped one lasted from its
    # subscription to its `stop`, not only until it parked.
    lines = logged(server_a, "Parked")
    assert [(e["operation_type"], e["transport"], e["outcome"]) for e in lines] == [
        ("subscription", "websocket", "ok")
    ] * 3
    assert lines[0]["duration_ms"] >= 300, lines[0]


async def test_a_revoked_key_ends_a_parked_stream_with_its_error_and_its_log_line(
    server_a: Server, api_a: Api
) -> None:
    user = await sign_up(api_a)
    job_id = await claimed_job(api_a, user, await create_project(api_a, user))
    created = await api_a.gql(CREATE_API_KEY, user.token, name="dash", scopes=["read"])
    key = created["createApiKey"]
    for protocol in PROTOCOLS:
        async with asyncio.timeout(60), ws_client(server_a.url, protocol, key["key"]) as client:
            await client.subscribe(NAMED, jobId=job_id)
            await client.next_value("jobProgress")
        # Each closed its socket: nothing parked is left behind.
        await eventually(lambda: _is(api_a, PARKED, 0), "released when the socket closed")
    async with asyncio.timeout(60), AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(ws_client(server_a.url, protocol, key["key"]))
            for protocol in PROTOCOLS
        ]
        for client in clients:
            await client.subscribe(NAMED, jobId=job_id)
            await client.next_value("jobProgress")
        await eventually(lambda: _is(api_a, PARKED, 2), "both park")
        server_a.mark_log()
        assert await api_a.gql(REVOKE_API_KEY, user.token, id=key["apiKey"]["id"])
        for client in clients:
            frame = await client.frame()
            assert frame.type == "next", frame
            assert frame.payload["data"] is None
            assert [e["extensions"]["code"] for e in frame.errors] == ["UNAUTHENTICATED"]
            assert (await client.frame()).type == "complete"
        await report(api_a, user, job_id, 50)
        for client in clients:
            await client.quiet(0.5)
    await eventually(lambda: _is(api_a, PARKED, 0), "both are released")
    lines = logged(server_a, "Parked")
    assert [(e["outcome"], e["error_codes"]) for e in lines] == [("error", ["UNAUTHENTICATED"])] * 2
