"""Scale-out: 2,000 WebSocket subscribers spread over two API processes (PostgreSQL + Redis),
events reported through either process; every subscriber gets every event exactly once, in
order, then `complete`. Raw `websockets` clients, bounded in time (~1 minute on a busy box)."""

import asyncio
import time
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from tests.conftest import POSTGRES
from tests.helpers import User, create_project, sign_up
from tests.live.clients import ws_url
from tests.live.conftest import Server, http_api
from tests.live.test_live_progress import JOB_PROGRESS, claimed_job, complete, report

# Several users (each a partner with its own job): one user's 2,000 subscriptions would meet
# the per-user rate limit, which is not what this test is about.
USERS = 8
PER_USER = 250
REPORTS = 10
HANDSHAKES_AT_ONCE = 100


async def subscriber(
    url: str, token: str, job_id: str, gate: asyncio.Semaphore
) -> ClientConnection:
    """A graphql-transport-ws socket subscribed to the job, past its snapshot (seq 2)."""
    async with gate:
        connection = await connect(
            url, subprotocols=[Subprotocol("graphql-transport-ws")], compression=None, proxy=None
        )
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await connection.send(orjson.dumps(init).decode())
        assert orjson.loads(await connection.recv())["type"] == "connection_ack"
        payload = {"query": JOB_PROGRESS, "variables": {"jobId": job_id}}
        subscribe = {"id": "1", "type": "subscribe", "payload": payload}
        await connection.send(orjson.dumps(subscribe).decode())
        first = orjson.loads(await connection.recv())
        assert first["type"] == "next", first
        assert first["payload"]["data"]["jobProgress"]["seq"] == 2
        return connection


async def seqs_until_complete(connection: ClientConnection) -> list[int]:
    seqs: list[int] = []
    try:
        while True:
            message: dict[str, Any] = orjson.loads(await connection.recv())
            if message["type"] == "complete":
                return seqs
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            seqs.append(message["payload"]["data"]["jobProgress"]["seq"])
    finally:
        await connection.close()


@pytest.mark.skipif(not POSTGRES, reason="needs a shared broker (Redis)")
async def test_two_thousand_subscribers_on_two_processes(
    server_a: Server, server_b: Server
) -> None:
    started = time.monotonic()
    async with asyncio.timeout(120), http_api(server_a) as api_a, http_api(server_b) as api_b:
        apis = (api_a, api_b)
        users: list[User] = [await sign_up(apis[i % 2]) for i in range(USERS)]
        jobs = [
            await claimed_job(apis[i % 2], user, await create_project(apis[i % 2], user))
            for i, user in enumerate(users)
        ]
        urls = (ws_url(server_a.url), ws_url(server_b.url))
        gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        async with asyncio.TaskGroup() as group:
            opening = [
                (u, group.create_task(subscriber(urls[n % 2], users[u].token, jobs[u], gate)))
                for u in range(USERS)
                for n in range(PER_USER)
            ]
        reading = [(u, asyncio.create_task(seqs_until_complete(t.result()))) for u, t in opening]
        opened = time.monotonic() - started

        # Each job's events alternate between the two processes; the jobs report side by side.
        async def partner(u: int) -> int:
            user, job_id = users[u], jobs[u]
            for n in range(REPORTS):
                await report(apis[(u + n) % 2], user, job_id, n * 10)
            return await complete(apis[(u + REPORTS) % 2], user, job_id)

        finals = await asyncio.gather(*(partner(u) for u in range(USERS)))
        streams = [(u, await task) for u, task in reading]

    assert len(streams) == USERS * PER_USER
    for u, seqs in streams:
        # Exactly once, in order: seq 3 (the first report) through the terminal event.
        assert seqs == list(range(3, finals[u] + 1)), (u, seqs)
    assert finals == [2 + REPORTS + 1] * USERS
    assert time.monotonic() - started < 90, (
        f"took {time.monotonic() - started:.0f} s ({opened=:.0f})"
    )
