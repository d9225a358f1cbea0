"""What an open socket keeps (README, Memory per subscriber). schema.socket_protocol: uvicorn's
WebSocket protocol without the handshake's headers and asyncio's queue and event — its parts,
then the protocol itself under a real uvicorn in this process, as deployed (the live tests run
every WebSocket test on it too, a client that stops reading included). And once a subscription
is parked (schema.parked): not the operation's task, document text or variables, nor the
connection_init payload (the credential was read once)."""

import asyncio
from typing import Any

import pytest

from schema.socket_protocol import Inbox, LeanWebSocketProtocol, Ready
from schema.ws import GraphQLTransportWS, GraphQLWS
from services.settings import Settings
from tests.api.test_observability import serve, ws_base
from tests.api.test_websocket_entry import awaited_chain, socket_tasks
from tests.helpers import create_project, sign_up
from tests.live.clients import PROTOCOLS, TRANSPORT_WS, Protocol, ws_client

PROJECT_PROGRESS = "subscription($id: ID!) { projectProgress(projectId: $id) { totalTasks } }"


async def test_the_inbox_hands_messages_to_its_reader_in_order() -> None:
    inbox = Inbox()
    assert inbox.empty()
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    assert not reader.done()  # nothing yet: the reader waits
    inbox.put_nowait("first")
    inbox.put_nowait("second")
    assert await reader == "first"
    assert inbox.qsize() == 1
    assert not inbox.empty()
    assert await inbox.get() == "second"
    assert inbox.empty()


async def test_the_inbox_has_one_reader_and_survives_a_cancelled_one() -> None:
    inbox = Inbox()
    first = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="already have a reader"):
        await inbox.get()
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    # The cancelled reader left nothing behind: the next one gets the next message.
    second = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    inbox.put_nowait({"type": "websocket.receive"})
    assert await second == {"type": "websocket.receive"}


def test_ready_returns_without_yielding_when_set() -> None:
    """A frame to a socket that can take it is written in the pusher's stack (schema.ws):
    waiting on a set Ready must finish on the first step."""
    wait = Ready().wait()
    with pytest.raises(StopIteration) as finished:
        wait.send(None)
    assert finished.value.value is True


async def test_ready_holds_writers_while_cleared_and_releases_all_when_set() -> None:
    ready = Ready()
    ready.clear()
    assert not ready.is_set()
    writers = [asyncio.create_task(ready.wait()) for _ in range(3)]
    await asyncio.sleep(0.01)
    assert not any(w.done() for w in writers)
    writers[0].cancel()
    await asyncio.sleep(0)
    ready.set()
    assert await asyncio.gather(*writers[1:]) == [True, True]
    assert writers[0].cancelled()
    assert ready.is_set()
    assert ready._waiters is None


def protocol_of(task: asyncio.Task[Any]) -> Any:
    """The uvicorn protocol whose ASGI task `task` is (`run_asgi` is its method)."""
    return task.get_coro().cr_frame.f_locals["self"]  # type: ignore[union-attr]


def handler_of(task: asyncio.Task[Any]) -> Any:
    """The Strawberry protocol handler the socket's ASGI task is running."""
    for coro in awaited_chain(task):
        owner = coro.cr_frame.f_locals.get("self")
        if isinstance(owner, GraphQLTransportWS | GraphQLWS):
            return owner
    raise AssertionError("no protocol handler in the socket's task")


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_an_open_socket_keeps_no_handshake_headers_document_or_init_payload(
    settings: Settings, protocol: Protocol
) -> None:
    async with serve(settings) as api:
        user = await sign_up(api)
        project = await create_project(api, user)
        async with ws_client(ws_base(api), protocol, user.token) as client:
            [task] = socket_tasks()
            socket = protocol_of(task)
            assert isinstance(socket, LeanWebSocketProtocol)
            assert isinstance(socket.queue, Inbox)
            assert isinstance(socket.writable, Ready)
            # Past the handshake, neither its request's nor its response's headers are kept...
            assert list(socket.request.headers.raw_items()) == []
            assert list(socket.response.headers.raw_items()) == []
            # ...while the app's copy (the ASGI scope) is whole.
            scope_headers = dict(socket.scope["headers"])
            assert scope_headers[b"sec-websocket-protocol"] == protocol.name.encode()
            # Messages go both ways: a subscription is taken and answered, then stopped.
            op_id = await client.subscribe(PROJECT_PROGRESS, id=project)
            assert (await client.next_value("projectProgress")) == {"totalTasks": 0}
            # Parked: its operation keeps no task, document or variables; the socket's context
            # no connection_init payload (the credential was read from it).
            handler = handler_of(task)
            assert handler._fanout_sinks[op_id].parked is not None
            assert handler.context.connection_params is None
            assert handler.context.principal is not None
            if protocol is TRANSPORT_WS:
                operation = handler.operations[op_id]
                assert operation.task is None
                assert (operation.query, operation.variables) == ("", None)
            else:
                assert handler.tasks[op_id] is None
            await client.stop(op_id)
            assert socket.queue.empty()
        await asyncio.sleep(0.05)
        assert socket_tasks() == []
