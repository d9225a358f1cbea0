"""Fault: Redis is killed and restarted while dashboards are subscribed to a job.

One API process on the session database and on a Redis the test owns; 20 WebSocket clients (both
sub-protocols) follow a partner job the test drives over HTTP. Redis dies with SIGKILL, progress
is reported while it is down (publishing after commit is best effort: the reports must still
succeed), and it comes back on the same port. Checked against API.md (Subscription: "no event is
skipped or repeated"), ARCHITECTURE.md ("Live progress") and the issue: subscriptions recover by
themselves and every client receives every event of the job, in order, exactly once, then
`complete`, within a bounded time; GET /ready reports Redis while it is down.
"""

import asyncio
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import POSTGRES
from tests.faults.conftest import RedisServer, http, poll, process_env, start_api
from tests.helpers import Api, create_project, sign_up
from tests.live.clients import PROTOCOLS, WAIT, WsClient, ws_client
from tests.live.test_live_progress import (
    JOB_PROGRESS,
    assert_stored,
    assert_stream,
    claimed_job,
    complete,
    job_state,
    report,
    seqs,
)

pytestmark = pytest.mark.skipif(not POSTGRES, reason="fault tests need PostgreSQL and Redis")

SUBSCRIBERS = 20
# Redis down must show in /ready within this long; a request must never take longer than FAST.
DETECT_WITHIN = 5.0
FAST = 5.0
RECOVER_WITHIN = 10.0
# Events committed while Redis was down reach the clients after a reconnect (RESYNC: at once)
# or, at the latest, when the stream re-reads the database after 10 s without a message.
CATCH_UP_WITHIN = 15.0


async def readiness(client: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
    started = time.monotonic()
    response = await client.get("/ready")
    elapsed = time.monotonic() - started
    assert elapsed < FAST, f"GET /ready took {elapsed:.1f} s"
    body: dict[str, Any] = response.json()
    return response.status_code, body


async def numsub(redis_server: RedisServer, channel: str) -> int:
    client = redis_server.client()
    try:
        ((_, number),) = await client.pubsub_numsub(channel)
        return int(number)
    finally:
        await client.aclose()


async def test_redis_restart_with_dashboards_subscribed(
    tmp_path: Path, database_url: str, redis_server: RedisServer
) -> None:
    env = process_env(database_url, redis_server.url, tmp_path)
    async with (
        start_api("api", env, tmp_path) as server,
        http(server) as client,
        asyncio.timeout(75),
        AsyncExitStack() as stack,
    ):
        api = Api(client)
        user = await sign_up(api)
        job_id = await claimed_job(api, user, await create_project(api, user))  # seq 2
        channel = f"job:{job_id}"

        async def subscriber(i: int) -> WsClient:
            ws = await stack.enter_async_context(
                ws_client(server.url, PROTOCOLS[i % 2], user.token)
            )
            await ws.subscribe(JOB_PROGRESS, jobId=job_id)
            return ws

        clients = list(await asyncio.gather(*(subscriber(i) for i in range(SUBSCRIBERS))))
        streams: list[list[dict[str, Any]]] = [[] for _ in clients]

        async def receive(count: int, wait: float) -> None:
            """Every client receives its next `count` events, each within `wait` s."""

            async def one(ws: WsClient, stream: list[dict[str, Any]]) -> None:
                for _ in range(count):
                    stream.append(await ws.next_value("jobProgress", wait=wait))

            await asyncio.gather(*(one(ws, s) for ws, s in zip(clients, streams, strict=True)))

        await receive(1, WAIT)  # the current state: seq 2
        assert {s[0]["seq"] for s in streams} == {2}
        for progress in (10, 20):
            await report(api, user, job_id, progress)
            await receive(1, WAIT)
        # ONE broker subscription for the process, however many WebSocket subscribers.
        assert await numsub(redis_server, channel) == 1

        # --- Redis dies ------------------------------------------------------------------
        await redis_server.kill()
        killed_at = time.monotonic()

        async def redis_unreachable() -> dict[str, Any] | None:
            status, body = await readiness(client)
            return body if status == 503 else None

        body = await poll(redis_unreachable, "/ready reports Redis down", DETECT_WITHIN)
        assert body == {"status": "unavailable", "database": "ok", "redis": "unreachable"}
        detected_after = time.monotonic() - killed_at

        # Progress while Redis is down: committed and answered (the publish is best effort).
        report_times = []
        for progress in (30, 40):
            started = time.monotonic()
            await report(api, user, job_id, progress)
            report_times.append(time.monotonic() - started)
        assert max(report_times) < FAST, f"reportJobProgress took {report_times} s, Redis down"

        # --- Redis is back, same port, empty (no subscriptions, nothing buffered) ---------
        await redis_server.start()
        restarted_at = time.monotonic()

        async def redis_ready() -> dict[str, Any] | None:
            status, body = await readiness(client)
            return body if status == 200 else None

        body = await poll(redis_ready, "/ready ok after Redis is back", RECOVER_WITHIN)
        assert body == {"status": "ok", "database": "ok", "redis": "ok"}

        # The two events committed during the outage reach every client with no further
        # event to reveal the gap: the streams must re-read the database by themselves.
        await receive(2, CATCH_UP_WITHIN)
        caught_up_after = time.monotonic() - restarted_at

        # The broker re-subscribed by itself (one subscription again), and live delivery works:
        # each event within WAIT (well below the 10 s database re-check).
        async def resubscribed() -> bool:
            return await numsub(redis_server, channel) == 1

        await poll(resubscribed, f"PUBSUB NUMSUB {channel} == 1 again", RECOVER_WITHIN)
        for progress in (50, 60):
            await report(api, user, job_id, progress)
            await receive(1, WAIT)
        final_seq = await complete(api, user, job_id)
        rest = await asyncio.gather(
            *(ws.values_until_complete("jobProgress", wait=WAIT) for ws in clients)
        )
        for stream, tail in zip(streams, rest, strict=True):
            stream += tail

        stored = (await job_state(api, user, job_id))["events"]
        assert seqs(stored) == list(range(1, final_seq + 1))
        for stream in streams:
            # Every seq from the snapshot to SUCCEEDED, in order, exactly once; then complete.
            assert_stream(stream, job_id, 2, final_seq)
            assert (stream[-1]["status"], stream[-1]["progress"]) == ("SUCCEEDED", 100)
            assert_stored(stream[1:], stored)
        print(  # noqa: T201
            f"redis restart: /ready 503 after {detected_after:.2f} s; reports while down took "
            f"{', '.join(f'{t:.2f}' for t in report_times)} s; outage events delivered "
            f"{caught_up_after:.2f} s after the restart"
        )
