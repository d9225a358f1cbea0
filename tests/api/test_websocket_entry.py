"""A WebSocket on /graphql goes straight to the GraphQL view (app.Storygraph), and is treated as
it was through the middleware stack: the connections gauge, the Origin rule, refusals of other
paths, errors in the view."""

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.exceptions import WebSocketException
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin, Subprotocol

from schema.context import GraphQLApp
from services.settings import Settings
from tests.api.test_observability import scrape, serve, value, wait_for, ws_base
from tests.helpers import sign_up
from tests.live.clients import TRANSPORT_WS, ws_client

GAUGE = "storygraph_websocket_connections"
# Where Starlette's middleware stack and router keep their frames.
STACK_FILES = (
    "starlette/applications.py",
    "starlette/middleware/",
    "starlette/routing.py",
    "starlette/_exception_handler.py",
)


def ws_url(api: Any, path: str = "/graphql") -> str:
    return ws_base(api).replace("http://", "ws://", 1) + path


def awaited_chain(task: asyncio.Task[Any]) -> Iterator[Any]:
    """The coroutines `task` is suspended in, outermost first."""
    coro: Any = task.get_coro()
    while coro is not None and hasattr(coro, "cr_code"):
        yield coro
        coro = coro.cr_await


def socket_tasks() -> list[asyncio.Task[Any]]:
    """uvicorn's ASGI tasks of the WebSockets open now (uvicorn serves in this process)."""
    return [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "").endswith(".run_asgi")
    ]


async def test_an_open_graphql_socket_holds_no_middleware_router_or_view_wrapper_frame(
    settings: Settings,
) -> None:
    async with serve(settings) as api:
        user = await sign_up(api)
        async with ws_client(ws_base(api), TRANSPORT_WS, user.token):
            [task] = socket_tasks()
            chain = list(awaited_chain(task))

    names = [coro.cr_code.co_qualname for coro in chain]
    assert "AsyncBaseHTTPView.run" in names  # Strawberry's view: the socket's own task
    assert "GraphQLApp.run" not in names  # ours hands the socket over (schema.context)
    held = [
        coro.cr_code.co_qualname
        for coro in chain
        if any(part in coro.cr_code.co_filename for part in STACK_FILES)
    ]
    assert held == []


async def test_the_gauge_counts_an_accepted_socket_until_it_closes(settings: Settings) -> None:
    async with serve(settings) as api:
        user = await sign_up(api)
        before = value(await scrape(api), GAUGE)
        async with ws_client(ws_base(api), TRANSPORT_WS, user.token):
            during = value(await scrape(api), GAUGE)

        async def back() -> bool:
            return value(await scrape(api), GAUGE) == before

        await wait_for(back)
    assert during - before == 1


@pytest.mark.parametrize("path", ["/nope", "/graphql/", "/graphql/x", "/health"])
async def test_a_socket_to_any_other_path_is_refused_and_not_counted(
    settings: Settings, path: str
) -> None:
    async with serve(settings) as api:
        before = value(await scrape(api), GAUGE)
        with pytest.raises(InvalidStatus) as refused:
            async with connect(ws_url(api, path), proxy=None, compression=None):
                pass
        after = value(await scrape(api), GAUGE)
    # The router closes it before accepting; uvicorn answers the handshake with 403.
    assert refused.value.response.status_code == 403
    assert after == before


async def test_a_cross_origin_handshake_is_refused_unless_the_origin_is_allowed(
    settings: Settings,
) -> None:
    allowed = Origin("https://app.example.com")
    async with serve(settings, allowed_origins=[allowed]) as api:
        before = value(await scrape(api), GAUGE)
        protocols = [Subprotocol(TRANSPORT_WS.name)]
        with pytest.raises(InvalidStatus) as refused:
            async with connect(
                ws_url(api),
                origin=Origin("https://evil.example.com"),
                subprotocols=protocols,
                proxy=None,
            ):
                pass
        after_refusal = value(await scrape(api), GAUGE)
        async with connect(ws_url(api), origin=allowed, subprotocols=protocols, proxy=None) as ws:
            await ws.send(orjson.dumps({"type": "connection_init"}).decode())
            ack = orjson.loads(await ws.recv())
    assert refused.value.response.status_code == 403
    assert after_refusal == before
    assert ack == {"type": "connection_ack", "payload": None}


async def closed_by_a_failing_view(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, get_context: Any
) -> ConnectionClosed:
    """How a socket ends when the view's `get_context` fails as `get_context` does; the open
    sockets gauge must be back where it was."""
    async with serve(settings) as api:
        before = value(await scrape(api), GAUGE)
        monkeypatch.setattr(GraphQLApp, "get_context", get_context)
        async with connect(
            ws_url(api), subprotocols=[Subprotocol(TRANSPORT_WS.name)], proxy=None
        ) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        monkeypatch.undo()

        async def back() -> bool:
            return value(await scrape(api), GAUGE) == before

        await wait_for(back)
    return closed.value


async def test_an_error_in_the_view_closes_the_socket_logs_it_and_uncounts_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: GraphQLApp, request: Any, response: Any) -> None:
        raise RuntimeError("broken context")

    with caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        closed = await closed_by_a_failing_view(settings, monkeypatch, broken)
    # Accepted, then the view failed: uvicorn logs it and drops the connection (no close frame).
    assert closed.rcvd is None
    [record] = [r for r in caplog.records if r.getMessage().startswith("Exception in ASGI")]
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "broken context"


async def test_a_websocket_exception_from_the_view_closes_with_its_code(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refusing(self: GraphQLApp, request: Any, response: Any) -> None:
        raise WebSocketException(4001, "refused by the view")

    closed = await closed_by_a_failing_view(settings, monkeypatch, refusing)
    assert closed.rcvd is not None
    assert (closed.rcvd.code, closed.rcvd.reason) == (4001, "refused by the view")
