"""The WebSocket protocol uvicorn runs for Storygraph: uvicorn's own (websockets' sans-I/O
parser behind uvicorn's ASGI glue), minus what an open socket need not keep.

A live dashboard is mostly an idle socket, held for hours; ten thousand of them on one process
are the point (README, Memory per subscriber). Per socket, uvicorn keeps after the handshake:
- the handshake request's and response's headers (~5 KiB: the parser's generator frame holds
  the request for the socket's life, so emptying the headers is what frees them; the ASGI scope
  has its own copy);
- an asyncio.Queue for received messages and an asyncio.Event for write readiness: five deques,
  each with a 528-byte block, ~3.8 KiB, for a socket that holds at most a message or two.
Everything else is uvicorn's, unchanged. Run it with `uvicorn --ws schema.socket_protocol:
LeanWebSocketProtocol` (UVICORN_WS); docker-compose.yml, `app.main`, the benches and the live
tests do. It subclasses uvicorn's private class, so uvicorn is pinned to a minor version
(pyproject.toml) and tests/api/test_socket_protocol.py checks what it relies on.
"""

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

UVICORN_WS = "schema.socket_protocol:LeanWebSocketProtocol"


class Inbox:
    """What uvicorn's protocol asks of its receive queue (put_nowait, get, empty), for the one
    reader an ASGI app is: a list and at most one waiter, instead of asyncio.Queue's deques."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        while not self._items:
            if self._waiter is not None:
                raise RuntimeError("the socket's messages already have a reader")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class Ready:
    """What uvicorn's protocol asks of its write-readiness event (set, clear, is_set, wait):
    asyncio.Event's behaviour, with the waiters' list made only while someone waits. `wait()`
    returns at once, without yielding, when set: a frame to a socket that can take it is
    written in the caller's stack (schema.ws.TextFrames.push relies on it)."""

    __slots__ = ("_value", "_waiters")

    def __init__(self) -> None:
        self._value = True
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        self._value = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._value = False

    async def wait(self) -> bool:
        if self._value:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)
        return True


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Ready()  # type: ignore[assignment]

    def start_keepalive(self) -> None:
        # uvicorn calls this once, right after the 101 response is written: the handshake is
        # over, and neither its request's nor its response's headers are read again.
        self.request.headers.clear()
        self.response.headers.clear()
        super().start_keepalive()
