"""GraphQL over WebSocket: text frames with a size limit, and both protocols' handlers answering
malformed messages with a code (Strawberry's handlers, with their gaps closed)."""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncGenerator, Coroutine, Generator, Mapping
from json import JSONDecodeError
from typing import Any, cast

import orjson
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage as TransportInitMessage,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import (
    ConnectionInitMessage,
    OperationMessage,
    StartMessage,
)
from strawberry.types.unset import UnsetType

from resolvers.context import Context
from schema import fanout
from schema.requests import request_problem
from services import metrics

# graphql-transport-ws: "Invalid message" closes with 4400; a refused connection_init with 4403.
INVALID_MESSAGE = 4400
FORBIDDEN = 4403
# A client that does not read what it is sent: its outbox overflowed (see TextFrames.push).
SLOW_CONSUMER = 4413
OUTBOX_MAX_FRAMES = 512
OUTBOX_MAX_BYTES = 512 * 1024

log = logging.getLogger(__name__)

# Close tasks of overflowed sockets, kept referenced until they end.
_closing: set[asyncio.Task[None]] = set()


def _limit_error(limit: int | None) -> dict[str, Any]:
    return {
        "message": f"Subscription limit reached: at most {limit} operations at a time on one "
        "connection.",
        "extensions": {"code": "RATE_LIMITED"},
    }


class TextFrames(ASGIWebSocketAdapter):
    """GraphQL-over-WebSocket messages are text frames of JSON objects, at most
    `view.max_message_bytes` long: anything else closes the socket with 4400 before it is decoded
    (or, on the legacy protocol, is ignored when it is not JSON, as Strawberry does)."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit: int = getattr(self.view, "max_message_bytes", 1024 * 1024)
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > limit // 4 and len(text.encode()) > limit:
                    await self.close(INVALID_MESSAGE, f"Message exceeds {limit} bytes")
                    return
                try:
                    message = self.view.decode_json(text)
                except JSONDecodeError as exc:
                    if ignore_parsing_errors:
                        continue
                    raise NonJsonMessageReceived from exc
                if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                    await self.close(INVALID_MESSAGE, "Message must be a JSON object with a type")
                    return
                yield message
        except KeyError as exc:  # a binary frame has no "text"
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass

    # The outbox: every frame to the client goes through one bounded queue with one writer at a
    # time, so frames a shared feed (schema.fanout) pushes without waiting and the messages
    # Strawberry sends keep their order, and a client that does not read costs a bounded amount
    # of memory. An idle socket that can take a frame gets it at once, in the pusher's stack:
    # the write is driven by hand and only becomes a task (the writer) when the transport is
    # paused — a task per frame per subscriber was a fifth of a delivery's cost.
    _frames: deque[tuple[str, asyncio.Future[None] | None]] | None = None
    _queued_bytes = 0
    _busy = False  # a writer (a suspended write, or send_json) owns the socket
    _overflowed = False

    def push(self, frame: str) -> bool:
        """Send or queue `frame` (schema.fanout.Outlet). False when the socket is gone or
        overflowed: past OUTBOX_MAX_FRAMES frames or OUTBOX_MAX_BYTES characters waiting, the
        backlog is dropped and the socket closed with SLOW_CONSUMER (4413); the client
        resubscribes with `afterSeq`."""
        if self._overflowed or self._gone():
            return False
        if self._busy:
            return self._queue(frame, None)
        write = self._send_text(frame)
        try:
            pending = write.send(None)
        except StopIteration:
            return True
        except Exception:
            log.warning("could not send a frame; the socket's streams end", exc_info=True)
            return False
        # The transport is paused (the client reads slowly): the write goes on in a task,
        # which then writes whatever is queued meanwhile.
        self._busy = True
        self._writer = asyncio.create_task(self._finish(write, pending))
        return True

    _writer: asyncio.Task[None] | None = None

    async def _finish(self, write: Coroutine[Any, Any, None], pending: Any) -> None:
        try:
            await _Resumed(write, pending)
            await self._drain()
        except Exception:
            log.warning("could not send a frame", exc_info=True)
        finally:
            self._busy = False
            self._writer = None
            if self._gone():
                self._drop()

    def _queue(self, frame: str, done: asyncio.Future[None] | None) -> bool:
        frames = self._frames
        if frames is None:
            frames = self._frames = deque()
        if len(frames) >= OUTBOX_MAX_FRAMES or self._queued_bytes + len(frame) > OUTBOX_MAX_BYTES:
            self._overflow()
            return False
        frames.append((frame, done))
        self._queued_bytes += len(frame)
        return True

    async def _drain(self) -> None:
        while self._frames:
            frame, done = self._frames.popleft()
            self._queued_bytes -= len(frame)
            try:
                await self._send_text(frame)
            finally:
                if done is not None and not done.done():
                    done.set_result(None)

    def _gone(self) -> bool:
        return WebSocketState.DISCONNECTED in (self.ws.client_state, self.ws.application_state)

    _members: "set[fanout.Member] | None" = None

    def watch(self, member: fanout.Member) -> None:
        if self._members is None:
            self._members = set()
        self._members.add(member)

    def unwatch(self, member: fanout.Member) -> None:
        if self._members is not None:
            self._members.discard(member)

    def _overflow(self) -> None:
        self._overflowed = True
        metrics.SLOW_CONSUMERS.inc()
        self._drop()
        # Every shared stream on this socket ends now (each operation completes, into the void):
        # nothing more is executed or queued for a client that reads nothing.
        for member in tuple(self._members or ()):
            member.end(fanout.DONE)
        _closing.add(task := asyncio.create_task(self._close_slow()))
        task.add_done_callback(_closing.discard)

    def _drop(self) -> None:
        frames, self._frames, self._queued_bytes = self._frames, None, 0
        for _, done in frames or ():
            if done is not None and not done.done():
                done.set_result(None)

    async def _close_slow(self) -> None:
        with contextlib.suppress(Exception):
            await self.close(SLOW_CONSUMER, "Too slow: frames dropped; resubscribe with afterSeq")

    async def _send_text(self, text: str) -> None:
        if self._gone():
            return
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect:
            return
        except RuntimeError:
            # Starlette: "Cannot call send once a close message has been sent" (closed while
            # this message was being encoded).
            if self.ws.application_state != WebSocketState.DISCONNECTED:
                raise

    async def send_json(self, message: Mapping[str, object]) -> None:
        # The client is gone (or the socket is closing): there is nobody to tell. The
        # receiving loop sees the disconnect and ends every operation; raising here instead
        # made Strawberry log an operation that finished after its client left as an error.
        if self._gone() or self._overflowed:
            return
        encoded = self.view.encode_json(message)
        text = encoded.decode() if isinstance(encoded, bytes) else encoded
        if not self._busy:
            self._busy = True
            try:
                await self._send_text(text)  # nothing queued: write now, as before the outbox
                await self._drain()  # what a feed queued meanwhile
            finally:
                self._busy = False
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._queue(text, done):
            await done

    def sink(self, prefix: str, ending: str, owner: fanout.Owner, id: str) -> fanout.Sink:
        return fanout.Sink(self, prefix, self.view.encode_json, ending=ending, owner=owner, id=id)


class _Resumed:
    """Awaiting this resumes `coroutine`, already started by hand and suspended on `pending`
    (what it yielded), to its end: the rest of a write that found the transport paused."""

    __slots__ = ("coroutine", "pending")

    def __init__(self, coroutine: Coroutine[Any, Any, None], pending: Any) -> None:
        self.coroutine, self.pending = coroutine, pending

    def __await__(self) -> Generator[Any, Any, None]:
        coroutine, pending = self.coroutine, self.pending
        while True:
            try:
                value = yield pending
            except BaseException as exc:  # cancelled while waiting: the write is too
                try:
                    pending = coroutine.throw(exc)
                except StopIteration:
                    return
            else:
                try:
                    pending = coroutine.send(value)
                except StopIteration:
                    return


class GraphQLTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """A malformed `subscribe` closes 4400 (Strawberry's would crash or run nothing); the
    operation limit's error carries a code."""

    def forget_id(self, id: str) -> None:
        # An operation that finishes after its client left finds its id gone already: the
        # socket's shutdown cleaned every operation up. Nothing is left to forget.
        self.operations.pop(id, None)
        _close_sink(self, id)

    def hand_over(self, sink: fanout.Sink) -> None:
        # Strawberry sends nothing more for this operation (not even `complete` when its task
        # ends): the parked stream sends its frames and its end (schema.parked.Parked).
        operation = self.operations.get(sink.id)
        if operation is not None:
            operation.completed = True

    def forget(self, sink: fanout.Sink) -> None:
        if _drop_sink(self, sink):
            self.operations.pop(sink.id, None)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # This task's shared streams send their events as `next` frames of this operation.
        quoted = orjson.dumps(operation.id).decode()
        sink = _sinks(self)[operation.id] = cast(TextFrames, self.websocket).sink(
            '{"id":' + quoted + ',"type":"next","payload":',
            '{"id":' + quoted + ',"type":"complete"}',
            self,
            operation.id,
        )
        fanout.current_sink.set(sink)
        try:
            await super().run_operation(operation)
        finally:
            parked = sink.parked
            if parked is not None and not parked.done:
                # The stream goes on without this task (and closes its sink when it ends). The
                # task, its context and what that holds need not outlive it, nor the document's
                # text and variables: the parked stream has what it needs.
                operation.task = None
                operation.query, operation.variables = "", None
            elif _sinks(self).get(operation.id) is sink:
                _close_sink(self, operation.id)

    async def handle_connection_init(self, message: TransportInitMessage) -> None:
        await super().handle_connection_init(message)
        _forget_connection_params(self.context)
        # Strawberry keeps the cancelled init timer's task for the socket's lifetime, and with
        # it its CancelledError, traceback and frames (~1.5 KiB a connection): let it go.
        task = self.connection_init_timeout_task
        if task is not None and self.connection_init_received:
            task.add_done_callback(self._forget_init_timer)

    def _forget_init_timer(self, task: asyncio.Task[None]) -> None:
        if self.connection_init_timeout_task is task:
            self.connection_init_timeout_task = None

    async def cleanup_operation(self, operation_id: str) -> None:
        _close_sink(self, operation_id)
        operation = self.operations.get(operation_id)
        if operation is not None and operation.task is None:
            del self.operations[operation_id]  # parked: its task has ended already
            return
        await super().cleanup_operation(operation_id)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not op_id:
            await self.handle_invalid_message("Subscribe message must have a string id")
            return
        problem = request_problem(payload)
        if problem is not None or not isinstance(cast(dict[str, Any], payload).get("query"), str):
            reason = problem[0] if problem else "`query` must be a string."
            await self.handle_invalid_message(f"Invalid subscribe payload: {reason}")
            return
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and op_id not in self.operations
            and limit is not None
            and len(self.operations) >= limit
        ):
            error = {"id": op_id, "type": "error", "payload": [_limit_error(limit)]}
            await self.websocket.send_json(error)
            return
        await super().handle_subscribe(message)


class GraphQLWS(BaseGraphQLWSHandler[Context, None]):
    """The legacy protocol: a refused `connection_init` closes 4403 (not 1011), a message
    without an id closes 4400, and a malformed `start` or the operation limit gets an error
    message with a code."""

    async def handle_message(self, message: OperationMessage) -> None:
        if message["type"] in ("start", "stop") and not isinstance(message.get("id"), str):
            await self.websocket.close(INVALID_MESSAGE, f"A {message['type']} message needs an id")
            return
        await super().handle_message(message)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        # Strawberry's, except that a refusal closes with 4403 as on graphql-transport-ws.
        payload = message.get("payload")
        if payload is not None and not isinstance(payload, dict):
            await self.send_message({"type": "connection_error"})
            await self.websocket.close(INVALID_MESSAGE, "Invalid connection init payload")
            return
        self.context.connection_params = payload
        try:
            ack = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError as exc:
            await self.send_message({"type": "connection_error", "payload": exc.payload})
            await self.websocket.close(FORBIDDEN, "Forbidden")
            return
        _forget_connection_params(self.context)
        if isinstance(ack, UnsetType) or ack is None:
            await self.send_message({"type": "connection_ack"})
        else:
            await self.send_message({"type": "connection_ack", "payload": ack})
        self.connection_acknowledged = True
        if self.keep_alive:
            self.keep_alive_task = asyncio.create_task(self.handle_keep_alive())

    async def handle_async_results(
        self,
        operation_id: str,
        query: str,
        operation_name: str | None,
        variables: dict[str, object] | None,
    ) -> None:
        # This task's shared streams send their events as `data` messages of this operation.
        quoted = orjson.dumps(operation_id).decode()
        sink = _sinks(self)[operation_id] = cast(TextFrames, self.websocket).sink(
            '{"type":"data","id":' + quoted + ',"payload":',
            '{"type":"complete","id":' + quoted + "}",
            self,
            operation_id,
        )
        fanout.current_sink.set(sink)
        try:
            await super().handle_async_results(operation_id, query, operation_name, variables)
        finally:
            parked = sink.parked
            if parked is not None and not parked.done:
                # Strawberry released the id as this task ended; the stream is still live in
                # its feed: the id stays taken (and counted) until it ends or is stopped. No
                # task: Strawberry's cleanup then has none to cancel, and this one need not
                # outlive itself.
                self.tasks[operation_id] = None  # type: ignore[assignment]
            elif _sinks(self).get(operation_id) is sink:
                _close_sink(self, operation_id)

    def hand_over(self, sink: fanout.Sink) -> None:
        pass  # send_message drops what Strawberry would still send for it

    def forget(self, sink: fanout.Sink) -> None:
        if _drop_sink(self, sink):
            self.tasks.pop(sink.id, None)

    async def send_message(self, message: OperationMessage) -> None:
        sink = fanout.current_sink.get()
        if sink is not None and sink.parked is not None:
            # Sent from a parked operation's own task (its `complete` as the task ends): the
            # parked stream sends that operation's frames (schema.parked.Parked).
            return
        await super().send_message(message)

    async def cleanup_operation(self, operation_id: str) -> None:
        # Strawberry answers `stop` with `complete`; a parked operation's task has ended, so
        # the parked stream sends it.
        _close_sink(self, operation_id, complete=True)
        await super().cleanup_operation(operation_id)

    async def handle_start(self, message: StartMessage) -> None:
        op_id = message["id"]
        payload = message.get("payload")
        problem = request_problem(payload)
        if problem is None and not isinstance(cast(dict[str, Any], payload).get("query"), str):
            problem = ("`query` must be a string.", "query")
        if problem is not None and self.connection_acknowledged:
            error = {
                "message": problem[0],
                "extensions": {"code": "BAD_USER_INPUT", "field": problem[1]},
            }
            await self.websocket.send_json({"type": "error", "id": op_id, "payload": error})
            return
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and op_id not in self.tasks
            and limit is not None
            and len(self.tasks) >= limit
        ):
            refusal = {"type": "error", "id": op_id, "payload": _limit_error(limit)}
            await self.websocket.send_json(refusal)
            return
        await super().handle_start(message)


def _forget_connection_params(context: Context) -> None:
    # Read once, by on_ws_connect (the credential): the payload (a token, a few hundred bytes)
    # need not stay as long as the socket.
    context.connection_params = None


def _sinks(handler: object) -> dict[str, fanout.Sink]:
    """A handler's open sinks by operation id."""
    sinks: dict[str, fanout.Sink] | None = getattr(handler, "_fanout_sinks", None)
    if sinks is None:
        sinks = {}
        handler._fanout_sinks = sinks  # type: ignore[attr-defined]
    return sinks


def _close_sink(handler: object, operation_id: str, *, complete: bool = False) -> None:
    # Before the operation's task is cancelled: a feed must not send it another frame.
    sink = _sinks(handler).pop(operation_id, None)
    if sink is not None:
        if sink.parked is not None:
            sink.parked.stop(complete=complete)
        sink.open = False


def _drop_sink(handler: object, sink: fanout.Sink) -> bool:
    """Forget `sink` (a parked stream that ended) if it is still its operation's: the id may
    be in use again by then."""
    sinks = _sinks(handler)
    if sinks.get(sink.id) is not sink:
        return False
    del sinks[sink.id]
    return True
