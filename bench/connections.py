"""Memory per idle WebSocket connection: what a socket costs one API process before any operation.

N clients open /graphql (graphql-transport-ws or the legacy graphql-ws), send `connection_init`
with a token and get `connection_ack`, then stay idle; the server's RSS (/proc/<pid>/status)
before and after gives KiB per connection. This is the connection's share of a subscriber's
memory (`bench.fanout` measures the whole: connection + operation), and what the server and
uvicorn settings decide: `--deflate` offers permessage-deflate as browsers do (the server, run as
deployed, declines it).

How: a fresh PostgreSQL database is created and migrated, ONE API process is started exactly as
`bench.fanout` starts it (uvicorn subprocess, REDIS_URL set, no embedded worker), one user signs
up; 20 connections open and close first, so lazily loaded code is not charged to N. Then the
server stops and the database is dropped. Exits 2 when the benchmark itself failed.

Run:  .venv/bin/python -m bench.connections --connections 2000 [--deflate]
Needs PostgreSQL (--pg-admin-url) and Redis (--redis-url), as bench.fanout.
"""

import argparse
import asyncio
import contextlib
import sys
import tempfile
import traceback
import uuid

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.common import create_database, drop_database, free_port, out, run_loop
from bench.fanout import PASSWORD, SIGN_UP, Api, rss_kib, start_server, stop_server, wait_ready

WARM_UP = 20


async def open_idle(
    url: str, protocol: str, init: str, deflate: bool, gate: asyncio.Semaphore
) -> ClientConnection:
    async with gate:
        ws = await connect(
            url,
            subprotocols=[Subprotocol(protocol)],
            compression="deflate" if deflate else None,
            proxy=None,
            ping_interval=None,
            open_timeout=30,
            close_timeout=2,
        )
        await ws.send(init)
        async with asyncio.timeout(30):
            reply = orjson.loads(await ws.recv(decode=False))
        if reply.get("type") != "connection_ack":
            raise RuntimeError(f"expected connection_ack, got {reply!r}")
        return ws


async def measure(args: argparse.Namespace) -> None:
    name, database_url, _ = await create_database(args.pg_admin_url, "bench_connections")
    with tempfile.TemporaryFile() as log:
        try:
            from services.migrate import migrate

            await migrate(database_url)
            server = await start_server(database_url, args.redis_url, port := free_port(), log)
            try:
                await against(args, server, port)
            finally:
                await stop_server(server)
        except BaseException:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace"))
            raise
        finally:
            with contextlib.suppress(Exception):
                await drop_database(args.pg_admin_url, name)


async def against(args: argparse.Namespace, server: asyncio.subprocess.Process, port: int) -> None:
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, trust_env=False
    ) as http:
        async with asyncio.timeout(30):
            await wait_ready(http, server)
        api = Api(http)
        email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
        token = (await api.gql(SIGN_UP, e=email, p=PASSWORD))["signUp"]["token"]
    url = f"ws://127.0.0.1:{port}/graphql"
    payload = {"Authorization": f"Bearer {token}"}
    init = orjson.dumps({"type": "connection_init", "payload": payload}).decode()
    gate = asyncio.Semaphore(args.connect_concurrency)

    def open_many(n: int) -> list[asyncio.Task[ClientConnection]]:
        return [
            asyncio.create_task(open_idle(url, args.protocol, init, args.deflate, gate))
            for _ in range(n)
        ]

    warm = await asyncio.gather(*open_many(WARM_UP))
    await asyncio.gather(*(ws.close() for ws in warm))
    await asyncio.sleep(1)
    before = rss_kib(server.pid)
    sockets = await asyncio.gather(*open_many(args.connections))
    try:
        await asyncio.sleep(1)
        after = rss_kib(server.pid)
        handshake = sockets[0].response if sockets else None
        extensions = handshake.headers.get("Sec-WebSocket-Extensions") if handshake else None
        out(f"  connections     {args.connections} idle, {args.protocol}")
        out(f"  deflate         offered: {args.deflate}, accepted: {bool(extensions)}")
        out(
            f"  server RSS MiB  {before / 1024:.1f} before, {after / 1024:.1f} connected -> "
            f"{(after - before) / args.connections:.1f} KiB per connection"
        )
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument(
        "--protocol", choices=["graphql-transport-ws", "graphql-ws"], default="graphql-transport-ws"
    )
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="offer permessage-deflate, as browsers do (the server declines it, as deployed)",
    )
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    try:
        run_loop(measure(args))
    except Exception:
        traceback.print_exc()
        sys.exit(2)


if __name__ == "__main__":
    main()
