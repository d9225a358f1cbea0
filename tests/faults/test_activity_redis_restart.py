"""Fault: two API processes share a project's activity while Redis is killed and restarted.

A dashboard on each process follows `projectActivity`; mutations go to both processes, before,
during and after the outage (publishing after commit is best effort: they must still succeed);
a third client leaves in the middle and comes back with `afterSeq`. API.md 2.4: "none skipped
or repeated" — every client receives every event exactly once, in seq order, and what it
received is what the table holds.
"""

import asyncio
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POSTGRES
from tests.faults.conftest import RedisServer, http, poll, process_env, start_api
from tests.faults.test_redis_restart import CATCH_UP_WITHIN, FAST, RECOVER_WITHIN, readiness
from tests.helpers import Api, add_scene, create_project, create_storyboard, sign_up
from tests.live.clients import LEGACY_WS, TRANSPORT_WS, WAIT, WsClient, ws_client
from tests.live.test_live_activity import PROJECT_ACTIVITY, UPDATE_SCENE, stored

pytestmark = pytest.mark.skipif(not POSTGRES, reason="fault tests need PostgreSQL and Redis")


async def test_two_processes_and_a_redis_restart(
    tmp_path: Path, database_url: str, redis_server: RedisServer
) -> None:
    env = process_env(database_url, redis_server.url, tmp_path)
    async with (
        start_api("api-a", env, tmp_path) as server_a,
        start_api("api-b", env, tmp_path) as server_b,
        http(server_a) as client_a,
        http(server_b) as client_b,
        asyncio.timeout(90),
        AsyncExitStack() as stack,
    ):
        api_a, api_b = Api(client_a), Api(client_b)
        user = await sign_up(api_a)
        project = await create_project(api_a, user)  # seq 1
        scene = await add_scene(api_b, user, await create_storyboard(api_b, user, project))  # 3
        apis = (api_a, api_b)
        edits = 0

        async def edit(count: int) -> list[float]:
            """`count` edits, alternately through each process; returns how long each took."""
            nonlocal edits
            took = []
            for _ in range(count):
                started = time.monotonic()
                await apis[edits % 2].gql(UPDATE_SCENE, user.token, id=scene, s=f"take {edits}")
                took.append(time.monotonic() - started)
                edits += 1
            return took

        async def dashboard(server_url: str, protocol: Any, after_seq: int) -> WsClient:
            ws = await stack.enter_async_context(ws_client(server_url, protocol, user.token))
            await ws.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=after_seq)
            return ws

        dashboards = [
            await dashboard(server_a.url, TRANSPORT_WS, 1),
            await dashboard(server_b.url, LEGACY_WS, 1),
        ]
        streams: list[list[dict[str, Any]]] = [[] for _ in dashboards]

        async def receive(count: int, wait: float) -> None:
            async def one(ws: WsClient, stream: list[dict[str, Any]]) -> None:
                for _ in range(count):
                    stream.append(await ws.next_value("projectActivity", wait=wait))

            await asyncio.gather(*(one(ws, s) for ws, s in zip(dashboards, streams, strict=True)))

        await receive(2, WAIT)  # seqs 2, 3 from the table
        await edit(4)  # 4..7, live through Redis from both processes
        await receive(4, WAIT)

        # A third client follows through B, then leaves before the outage.
        async with ws_client(server_b.url, TRANSPORT_WS, user.token) as leaving:
            await leaving.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=0)
            left_with = [await leaving.next_value("projectActivity") for _ in range(7)]
        assert [e["seq"] for e in left_with] == list(range(1, 8))

        # --- Redis dies: edits still commit, fast -------------------------------------------
        await redis_server.kill()

        async def redis_down() -> bool:
            return (await readiness(client_a))[0] == 503

        await poll(redis_down, "/ready reports Redis down", 5.0)
        took = await edit(4)  # 8..11
        assert max(took) < FAST, f"updateScene took {took} s with Redis down"

        # --- Redis is back -------------------------------------------------------------------
        await redis_server.start()

        async def redis_up() -> bool:
            return all([(await readiness(c))[0] == 200 for c in (client_a, client_b)])

        await poll(redis_up, "/ready ok on both after Redis is back", RECOVER_WITHIN)
        # The outage's events reach both dashboards without a later event revealing the gap.
        await receive(4, CATCH_UP_WITHIN)
        await edit(4)  # 12..15

        # The third client comes back with the last seq it saw: the rest, then live.
        async with ws_client(server_a.url, LEGACY_WS, user.token) as back:
            await back.subscribe(PROJECT_ACTIVITY, projectId=project, afterSeq=left_with[-1]["seq"])
            came_back = [await back.next_value("projectActivity") for _ in range(8)]
            await receive(4, CATCH_UP_WITHIN)
            await edit(2)  # 16, 17: live everywhere (each within WAIT, once subscriptions are back)
            came_back += [
                await back.next_value("projectActivity", wait=CATCH_UP_WITHIN) for _ in range(2)
            ]
            await receive(2, CATCH_UP_WITHIN)
            await back.quiet(0.5)
        for ws in dashboards:
            await ws.quiet(0.5)

        everything = await stored(api_b, user, project)
        assert [e["seq"] for e in everything] == list(range(1, 18))
        for stream in streams:
            assert stream == everything[1:]
        assert left_with + came_back == everything
