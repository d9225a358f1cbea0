"""Hardening defect 1 over a real socket: a client that closes its WebSocket while its mutation
runs leaves no transaction, lock or pooled connection behind (uvicorn, both backends)."""

import asyncio
import json

import asyncpg
import httpx
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from tests.conftest import POSTGRES
from tests.helpers import CREATE_STORYBOARD, Api, create_project, sign_up
from tests.live.clients import TRANSPORT_WS, ws_url
from tests.live.conftest import Server

ROUNDS = 12
COUNT_STORYBOARDS = "query Count($id: ID!) { project(id: $id) { storyboardCount } }"


async def subscribe_then_vanish(server: Server, token: str, project_id: str, pause: float) -> None:
    async with connect(
        ws_url(server.url),
        subprotocols=[Subprotocol(TRANSPORT_WS.name)],
        proxy=None,
        open_timeout=5,
        close_timeout=1,
    ) as socket:
        await socket.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        async with asyncio.timeout(5):
            assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": CREATE_STORYBOARD,
                        "variables": {
                            "input": {"projectId": project_id, "title": "Gone", "brief": "Gone."}
                        },
                    },
                }
            )
        )
        if pause:
            await asyncio.sleep(pause)
        socket.transport.abort()  # no closing handshake: the tab just died


async def test_defect_1_closing_the_socket_mid_mutation_leaks_nothing(
    server_a: Server, api_a: Api, database_url: str
) -> None:
    user = await sign_up(api_a)
    project_id = await create_project(api_a, user)

    for round_ in range(ROUNDS):
        await subscribe_then_vanish(server_a, user.token, project_id, pause=round_ * 0.0007)

    # Every later database call answers at once (before the fix, SQLite hung for good and
    # /ready said 503).
    async with httpx.AsyncClient(base_url=server_a.url, trust_env=False, timeout=5) as client:
        assert (await client.get("/ready")).status_code == 200
    async with asyncio.timeout(5):
        data = await api_a.gql(COUNT_STORYBOARDS, user.token, id=project_id)
    assert 0 <= data["project"]["storyboardCount"] <= ROUNDS
    if POSTGRES:
        await asyncio.sleep(0.5)  # let a mutation the server was still finishing commit
        connection = await asyncpg.connect(database_url)
        try:
            stuck = await connection.fetch(
                "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )
        finally:
            await connection.close()
        assert stuck == []
    # The server still stops cleanly on SIGTERM: the package fixture checks that at the end.
