"""Live streams shared between subscribers: one execution and one encoding per event.

Without this, every subscriber of a stream ran graphql-core over every event and encoded its own
JSON: at a thousand dashboards on one job, ~200 µs of CPU per delivery. Here, WebSocket
subscribers whose operations select the same fields (the same printed selection and the values
of the variables it uses) of the same stream (the resolver's key: what is followed and for whom)
with the same rights (user and scopes) attach to ONE `Feed`. The feed runs the stream's live tail
once, executes the selection once per event (in a current member's context: graphql-core's own
per-event execution, with the same rights) and encodes the payload once; each subscriber's frame
is that payload behind its own id (`Sink.prefix`), handed to its socket's bounded outbox
(schema.ws). A member keeps its context, not an executor of its own: the feed's, in the member's
context (`with_context`), executes the same selection — the feed's key says so.

A member is held while its subscriber sends its head (the snapshot, or the stored events after
`afterSeq`): the feed's events are buffered until the head is sent, then delivered from the
member's last seq on. A gap in seq (a feed that started after the subscriber's read, a held
buffer past MAX_HELD) ends the attachment with GAP: the subscriber catches up from the database
and attaches again. Streams of values without seq (progress) need no such care: a later value
supersedes an earlier one, so only the newest held value is kept. Who a member's subscriber is,
and how it lives once attached, is schema.parked.

Transports without a sink (multipart HTTP) and operations the registry cannot key run as before:
one execution per subscriber, through Strawberry, guarded by resolvers.streams.guarded.
"""

import asyncio
import contextvars
import copy
import logging
import re
from collections.abc import AsyncIterator, Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar

from graphql import ExecutionResult, GraphQLError, GraphQLResolveInfoHelpers, print_ast
from graphql.execution.executor import Executor

from resolvers.context import Context
from schema.extensions import format_errors
from services import metrics

if TYPE_CHECKING:
    from schema.parked import Parked

T = TypeVar("T")
log = logging.getLogger(__name__)

# Events a held subscriber (one still sending its head) may buffer before it must catch up from
# the database instead: bounds a subscriber's memory while its head is slow.
MAX_HELD = 64


class Outlet(Protocol):
    """A socket's outgoing side (schema.ws.TextFrames)."""

    def push(self, frame: str) -> bool:
        """Queue `frame`; False when the socket is closed or closing (overflowed)."""
        ...

    def watch(self, member: "Member") -> None:
        """End `member` (DONE) if the socket overflows: nothing more is sent to it."""
        ...

    def unwatch(self, member: "Member") -> None: ...


class Owner(Protocol):
    """The protocol handler running an operation (schema.ws)."""

    def hand_over(self, sink: "Sink") -> None:
        """The operation's stream now lives in its feed (`sink.parked`): its task ends without
        completing the operation."""
        ...

    def forget(self, sink: "Sink") -> None:
        """The parked stream ended and sent its last frame: the operation is over."""
        ...


class Sink:
    """Where one operation's frames go: its socket, the text before a payload and the frame
    that completes it. Closed by the handler when the operation is stopped, so no frame follows
    the client's `complete`."""

    __slots__ = ("encode", "ending", "id", "open", "outlet", "owner", "parked", "prefix")

    def __init__(
        self,
        outlet: Outlet,
        prefix: str,
        encode: Callable[[object], str | bytes],
        *,
        ending: str = "",
        owner: Owner | None = None,
        id: str = "",
    ) -> None:
        self.outlet = outlet
        self.prefix = prefix  # e.g. '{"id":"1","type":"next","payload":'
        self.ending = ending  # e.g. '{"id":"1","type":"complete"}'
        self.encode = encode
        self.owner = owner
        self.id = id
        self.open = True
        self.parked: Parked[Any] | None = None  # schema.parked, once its stream is handed over

    def send(self, payload: str) -> bool:
        """False when the sink is closed or the socket refused the frame (gone, overflowed)."""
        return self.open and self.outlet.push(self.prefix + payload + "}")


# Set by the WebSocket handlers for the task running one operation (schema.ws), and by the
# execution context for the executor running it (schema.execution): what a shareable stream
# needs to share. Both unset elsewhere (HTTP), where streams run per subscriber.
current_sink: ContextVar[Sink | None] = ContextVar("fanout_sink", default=None)
current_executor: ContextVar[Executor[Any] | None] = ContextVar("fanout_executor", default=None)


class _End:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DONE: Final = _End("DONE")  # the stream completed
GAP: Final = _End("GAP")  # this subscriber missed events: catch up from the database


@dataclass(frozen=True, slots=True)
class Failed:
    """The stream raised: the payload of its error frame (encoded once for every member, and
    the error logged once when unexpected) and the error's code."""

    payload: str
    code: str


Outcome = _End | Failed


def failure(error: Exception, encode: Callable[[object], str | bytes]) -> Failed:
    """What Strawberry sends when a subscription's stream raises: `{"data": null, "errors":
    [error]}` in the contract's shape (schema.extensions.format_errors)."""
    errors = [GraphQLError(str(error), original_error=error)]
    format_errors(errors)
    formatted = errors[0].formatted
    code = str((formatted.get("extensions") or {}).get("code", "INTERNAL"))
    return Failed(_text(encode({"data": None, "errors": [formatted]})), code)


async def execute_event(
    executor: Executor[Any], item: object, encode: Callable[[object], str | bytes]
) -> tuple[str, list[str]]:
    """One event through the subscription's selection (graphql-core's per-event execution):
    the encoded payload and the codes of its errors."""
    result = executor.build_per_event_executor(item).execute_operation(False)
    if executor.is_awaitable(result):
        result = await result
    assert isinstance(result, ExecutionResult)
    payload: dict[str, Any] = {"data": result.data}
    codes: list[str] = []
    if result.errors:
        errors = list(result.errors)
        format_errors(errors)
        payload["errors"] = [error.formatted for error in errors]
        codes = [str((error.extensions or {}).get("code", "INTERNAL")) for error in errors]
    return _text(encode(payload)), codes


def with_context(executor: Executor[Any], ctx: Context | None) -> Executor[Any]:
    """`executor` (the same operation, variables and plans) running in `ctx`: how a member
    executes with another member's operation, which it shares by the feed's key, without
    keeping an executor of its own (~3 KiB)."""
    if executor.context_value is ctx:
        return executor
    clone = copy.copy(executor)
    clone.context_value = ctx
    # Its resolve-info helpers are bound methods of the copied executor: shared, they would keep
    # that executor (and the context of a subscriber who left) alive as long as the clone.
    clone.async_helpers = GraphQLResolveInfoHelpers(
        gather=clone.gather_async_work, track=clone.track_async_work
    )
    return clone


def _text(encoded: str | bytes) -> str:
    return encoded.decode() if isinstance(encoded, bytes) else encoded


class Member:
    """One subscriber attached to a feed."""

    __slots__ = ("_ended", "_pending", "ctx", "held", "last", "sink")

    def __init__(self, sink: Sink, ctx: Context | None) -> None:
        self.sink = sink
        self.ctx = ctx  # whose rights and connection the feed may execute events with
        self.last: int | None = None
        self._pending: Outcome | None = None  # the feed's end, seen while held
        # Frames buffered while the subscriber sends its head; None once released.
        self.held: list[tuple[int | None, str]] | None = []
        self._ended: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()

    def offer(self, seq: int | None, payload: str) -> None:
        if self._ended.done():
            return
        held = self.held
        if held is not None:
            if seq is None:
                held[:] = [(seq, payload)]  # a newer value supersedes the held one
            elif len(held) >= MAX_HELD:
                self.end(GAP)
            else:
                held.append((seq, payload))
            return
        if seq is not None:
            last = self.last
            if last is not None:
                if seq <= last:
                    return  # in the head already
                if seq > last + 1:
                    self.end(GAP)
                    return
            self.last = seq
        sink = self.sink
        if sink.open and not sink.send(payload):
            # The socket overflowed or closed: its handler ends every operation on it.
            self.end(DONE)

    def release(self, last: int | None) -> None:
        """The head is sent, up to seq `last`: deliver what was held, then live."""
        held, self.held, self.last = self.held or [], None, last
        for seq, payload in held:
            self.offer(seq, payload)
        if self._pending is not None:
            self.end(self._pending)

    def finish(self, outcome: Outcome) -> None:
        """The feed ended: a held member first delivers what it holds (or finds a gap)."""
        if self.held is not None:
            self._pending = outcome
        else:
            self.end(outcome)

    def end(self, outcome: Outcome) -> None:
        if not self._ended.done():
            self._ended.set_result(outcome)

    def on_end(self, callback: Callable[["Member", Outcome], None]) -> None:
        """Call `callback(member, outcome)` once the attachment ends (soon, if it has)."""
        # In a context of its own: the registering task's (its contextvars: the operation's
        # executor, its sink) would otherwise live as long as the subscriber.
        self._ended.add_done_callback(
            lambda ended: callback(self, ended.result()), context=contextvars.Context()
        )

    async def ended(self) -> Outcome:
        return await self._ended


@dataclass(frozen=True, slots=True)
class Parts(Generic[T]):
    """A shareable stream: `head(position)` is the stream up to now from `position` (None: the
    current state); `live(ready)` the tail every subscriber shares, which calls `ready()` once
    it has read where it starts (subscribed to the broker first); `seq_of` an event's seq (None:
    a value stream); `is_last` true for an event after which the stream completes. The same for
    every subscriber with the same key: a feed keeps its first subscriber's."""

    head: Callable[[int | None], AsyncIterator[T]]
    live: Callable[[Callable[[], None]], AsyncIterator[T]]
    seq_of: Callable[[T], int | None]
    is_last: Callable[[T], bool]


class Feed(Generic[T]):
    """One live tail, executed and encoded once per event, for its members."""

    def __init__(
        self,
        key: Hashable,
        parts: Parts[T],
        executor: Executor[Any],
        encode: Callable[[object], str | bytes],
    ) -> None:
        self.key = key
        self.parts = parts
        self.members: set[Member] = set()
        self.executions = 0  # events executed (tests count them)
        # Done once the live tail has read where it starts (or has ended): a member's head is
        # read after it, so no event falls between the head and the tail.
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._live = parts.live(self._mark_ready)
        self._seq_of = parts.seq_of
        self._executor = executor
        self._encode = encode
        # In a context of its own: the first subscriber's task's (its operation's executor,
        # its connection, its credential) would live as long as the feed.
        self.task = asyncio.create_task(
            self._run(), name=f"feed {key!r}"[:200], context=contextvars.Context()
        )
        metrics.LIVE_FEEDS.inc()

    async def _run(self) -> None:
        outcome: Outcome = DONE
        try:
            async for item in self._live:
                payload, _codes = await execute_event(self._executor, item, self._encode)
                self.executions += 1
                metrics.LIVE_EXECUTIONS.inc()
                seq = self._seq_of(item)
                for member in tuple(self.members):
                    member.offer(seq, payload)
        except asyncio.CancelledError:
            outcome = GAP  # stopped (no members left, or shutdown)
            raise
        except Exception as exc:  # every member's stream ends with it
            outcome = failure(exc, self._encode)
        finally:
            self._mark_ready()
            metrics.LIVE_FEEDS.dec()
            if _feeds.get(self.key) is self:
                del _feeds[self.key]
            for member in tuple(self.members):
                member.finish(outcome)
            aclose = getattr(self._live, "aclose", None)
            if aclose is not None:
                try:
                    await aclose()
                except Exception:
                    log.warning("could not close the live tail of %r", self.key, exc_info=True)

    @property
    def executor(self) -> Executor[Any]:
        """What executes its events now (in a current member's context)."""
        return self._executor

    def _mark_ready(self) -> None:
        if not self.ready.done():
            self.ready.set_result(None)

    def attach(self, sink: Sink, ctx: Context) -> Member:
        member = Member(sink, ctx)
        self.members.add(member)
        sink.outlet.watch(member)
        if self.task.done():  # ended between lookup and attach: the stream re-attaches
            member.end(GAP)
        return member

    def detach(self, member: Member) -> None:
        self.members.discard(member)
        member.sink.outlet.unwatch(member)
        if member.ctx is self._executor.context_value and self.members:
            # Events run in a current member's context: same rights, and nothing of a
            # subscriber that left (its connection, its credential) is kept.
            self._executor = with_context(self._executor, next(iter(self.members)).ctx)
        if not self.members and not self.task.done():
            # Nobody left: stop following (a later subscriber starts a new feed).
            if _feeds.get(self.key) is self:
                del _feeds[self.key]
            self.task.cancel()


_feeds: dict[Hashable, Feed[Any]] = {}


def feeds() -> dict[Hashable, Feed[Any]]:
    """The live feeds of this process (tests and metrics read them)."""
    return _feeds


_VARIABLE = re.compile(r"\$([_A-Za-z][_0-9A-Za-z]*)")


def selection_key(info: Any) -> Hashable | None:
    """What decides a subscription event's payload besides the event: the printed root field
    (alias, arguments, directives, selection), every fragment of the document, and the values
    of the variables these use. None when a value cannot be keyed."""
    raw = info._raw_info
    printed = "".join(print_ast(node) for node in raw.field_nodes)
    fragments = "".join(print_ast(f) for f in raw.fragments.values())
    used = sorted(set(_VARIABLE.findall(printed + fragments)))
    values = []
    for name in used:
        value = raw.variable_values.get(name)
        try:
            hash(value)
        except TypeError:
            return None  # a list or object variable: not shared
        values.append((name, value))
    return (printed, fragments, tuple(values))


@dataclass(frozen=True, slots=True)
class Share:
    key: Hashable
    sink: Sink
    executor: Executor[Any]
    ctx: Context


def shareable(info: Any, stream_key: Hashable) -> Share | None:
    """How this operation can share `stream_key`'s live tail; None when it cannot (no sink:
    not over WebSocket; anonymous; a selection that cannot be keyed)."""
    sink, executor = current_sink.get(), current_executor.get()
    ctx = info.context
    if sink is None or executor is None or not isinstance(ctx, Context) or ctx.principal is None:
        return None
    if sink.owner is None:
        return None
    selection = selection_key(info)
    if selection is None:
        return None
    principal = ctx.principal
    rights = (principal.user_id, tuple(sorted(principal.scopes)))
    return Share((stream_key, rights, selection), sink, executor, ctx)
