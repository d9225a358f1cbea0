"""Minimal clients for the live tests: both GraphQL WebSocket sub-protocols over `websockets`.

`graphql-transport-ws` (current) and the legacy `graphql-ws` differ only in message names, so one
client speaks both and reports every server message about an operation as a `Frame` of type
`next`, `error` or `complete`. Every wait is bounded: a frame that does not come in time fails
the test with what was received so far.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

# A healthy server delivers a live event within milliseconds. This stays well below the
# server's 10 s "quiet re-check" of the database, so an event that only arrives through that
# fallback (a broken broker) fails the test instead of passing slowly.
WAIT = 5.0


@dataclass(frozen=True)
class Protocol:
    name: str
    start: str  # client -> server: run an operation
    data: str  # server -> client: one result of it
    stop: str  # client -> server: end it early

    def __str__(self) -> str:
        return self.name


TRANSPORT_WS = Protocol("graphql-transport-ws", start="subscribe", data="next", stop="complete")
LEGACY_WS = Protocol("graphql-ws", start="start", data="data", stop="stop")
PROTOCOLS = (TRANSPORT_WS, LEGACY_WS)


class Rejected(Exception):
    """The server refused `connection_init` (closed the socket, or sent `connection_error`)."""

    def __init__(self, close_code: int | None, payload: Any = None) -> None:
        super().__init__(f"connection refused: close code {close_code}, payload {payload!r}")
        self.close_code = close_code
        self.payload = payload


@dataclass(frozen=True)
class Frame:
    """A server message about an operation, named as in graphql-transport-ws.

    `next`: payload is the result ({"data": ..., "errors": [...]}); `error`: payload is the
    list of errors (the legacy protocol's single error is wrapped in a list); `complete`: None.
    """

    type: str
    id: str
    payload: Any = None

    @property
    def errors(self) -> list[dict[str, Any]]:
        if self.type == "error":
            return list(self.payload)
        if self.type == "next":
            return list(self.payload.get("errors") or [])
        return []


@dataclass
class WsClient:
    connection: ClientConnection
    protocol: Protocol
    received: list[Frame] = field(default_factory=list)
    _ids: int = 0

    async def _send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def _message(self, deadline: float) -> dict[str, Any]:
        """The next server message that is not a keep-alive."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            async with asyncio.timeout(remaining):
                raw = await self.connection.recv()
            # GraphQL over WebSocket speaks in text frames; browsers' clients parse nothing else.
            assert isinstance(raw, str), f"a binary frame: {raw[:200]!r}"
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "ping":
                await self._send({"type": "pong"})
            elif message["type"] not in ("ka", "pong"):
                return message

    async def init(self, token: str | None, wait: float = WAIT) -> None:
        """Send `connection_init` (with the credential, if any) and wait for `connection_ack`."""
        payload = {"Authorization": f"Bearer {token}"} if token is not None else {}
        await self._send({"type": "connection_init", "payload": payload})
        try:
            message = await self._message(time.monotonic() + wait)
        except ConnectionClosed as closed:
            raise Rejected(closed.rcvd.code if closed.rcvd else None) from None
        if message["type"] == "connection_error":
            code = None
            try:
                async with asyncio.timeout(wait):
                    await self.connection.wait_closed()
                code = self.connection.close_code
            except TimeoutError:
                pass
            raise Rejected(code, message.get("payload"))
        assert message["type"] == "connection_ack", message

    async def subscribe(self, query: str, *, op_id: str | None = None, **variables: Any) -> str:
        """Start an operation: under the next id of this client, or under `op_id`."""
        if op_id is None:
            self._ids += 1
            op_id = str(self._ids)
        await self._send(
            {
                "id": op_id,
                "type": self.protocol.start,
                "payload": {"query": query, "variables": variables},
            }
        )
        return op_id

    async def stop(self, op_id: str) -> None:
        """End an operation early, keeping the socket open."""
        await self._send({"id": op_id, "type": self.protocol.stop})

    async def frame(self, wait: float = WAIT) -> Frame:
        try:
            message = await self._message(time.monotonic() + wait)
        except TimeoutError:
            raise AssertionError(
                f"{self.protocol}: no frame within {wait} s; received so far: {self.received}"
            ) from None
        kind = message["type"]
        if kind == self.protocol.data:
            frame = Frame("next", message["id"], message["payload"])
        elif kind == "error":
            payload = message["payload"]
            frame = Frame(
                "error", message["id"], payload if isinstance(payload, list) else [payload]
            )
        elif kind == "complete":
            frame = Frame("complete", message["id"])
        else:
            raise AssertionError(f"{self.protocol}: unexpected message {message}")
        self.received.append(frame)
        return frame

    async def next_value(self, field_name: str, wait: float = WAIT) -> dict[str, Any]:
        """The next result of the operation: it must be data, neither an error nor the end."""
        frame = await self.frame(wait)
        assert frame.type == "next", frame
        assert not frame.errors, frame
        value: dict[str, Any] = frame.payload["data"][field_name]
        return value

    async def values_until_complete(
        self, field_name: str, wait: float = WAIT, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Every further result up to `complete`; each frame must come within `wait` s."""
        values: list[dict[str, Any]] = []
        for _ in range(limit):
            frame = await self.frame(wait)
            if frame.type == "complete":
                return values
            assert frame.type == "next", frame
            assert not frame.errors, frame
            values.append(frame.payload["data"][field_name])
        raise AssertionError(f"no `complete` after {limit} results")

    async def quiet(self, seconds: float) -> None:
        """Assert the server sends nothing about any operation for `seconds`."""
        try:
            message = await self._message(time.monotonic() + seconds)
        except TimeoutError:
            return
        raise AssertionError(f"{self.protocol}: unexpected message {message}")

    def abort(self) -> None:
        """Drop the TCP connection without a closing handshake (a crashed browser tab)."""
        self.connection.transport.abort()


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/graphql"


@asynccontextmanager
async def ws_client(
    http_url: str, protocol: Protocol, token: str | None = None, *, init: bool = True
) -> AsyncIterator[WsClient]:
    """A WebSocket on the server's /graphql; with `init`, after `connection_ack`."""
    async with connect(
        ws_url(http_url),
        subprotocols=[Subprotocol(protocol.name)],
        proxy=None,
        open_timeout=WAIT,
        close_timeout=2,
        compression=None,
    ) as connection:
        assert connection.subprotocol == protocol.name
        client = WsClient(connection, protocol)
        if init:
            await client.init(token)
        yield client
