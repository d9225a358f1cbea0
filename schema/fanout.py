"""Live streams shared between subscribers: one execution and one encoding per event.

Without this, every subscriber of a stream ran graphql-core over every event and encoded its own
JSON: at a thousand dashboards on one job, ~200 µs of CPU per delivery. Here, WebSocket
subscribers whose operations select the same fields (the same printed selection and the values
of the variables it uses) of the same stream (the resolver's key: what is followed and for whom)
with the same rights (user and scopes) attach to ONE `Feed`. The feed runs the stream's live tail
once, executes the selection once per event (with a current member's executor: graphql-core's
own per-event execution, in a context with the same rights) and encodes the payload once; each
subscriber's frame is that payload behind its own id (`Sink.prefix`), handed to its socket's
bounded outbox (schema.ws) without waking the subscriber's task.

What stays per subscriber: the head (the snapshot, or the stored events after `afterSeq`), read
from the database and executed as any event; the credential guard (resolvers.streams), so an
expired or revoked credential ends that subscriber's stream only; and the end of the stream
(completion, or the error a stream raises), which goes through Strawberry as before, so the
operation log line, metrics and error shapes are unchanged.

No event is lost or repeated on attach: a subscriber attaches (held) BEFORE it reads its head,
and reads its head only once the feed has read where its live tail starts (`Feed.ready`: the
tail subscribed to the broker, then read the stream's position). So every event is either in
the head (the tail's later events are dropped by seq) or handled by the feed after the member
attached (buffered until the head is sent). Without that wait, the first subscriber of a new
feed could read its head before the feed read its position: an event committed in between was
in neither, and reached the subscriber only when a later event showed the gap (never, when it
was the job's last). A gap in seq (a feed that started after the subscriber's read, a held
buffer that overflowed) ends the attachment and the subscriber catches up from the database from
its last seq, then attaches again. Streams of values without seq (progress) need no such care:
a later value supersedes an earlier one, so only the newest held value is kept.

Transports without a sink (multipart HTTP) and operations the registry cannot key run as before:
one execution per subscriber.
"""

import asyncio
import contextlib
import copy
import logging
import re
from collections.abc import AsyncIterator, Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final, Generic, Protocol, TypeVar

from graphql import ExecutionResult, print_ast
from graphql.execution.executor import Executor

from resolvers.context import Context
from schema.extensions import format_errors
from services import metrics

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


class Sink:
    """Where one operation's frames go: its socket, and the frame text before the payload.
    Closed by the handler when the operation is stopped, before its task is cancelled, so no
    frame follows the client's `complete`."""

    __slots__ = ("encode", "open", "outlet", "prefix")

    def __init__(
        self, outlet: Outlet, prefix: str, encode: Callable[[object], str | bytes]
    ) -> None:
        self.outlet = outlet
        self.prefix = prefix  # e.g. '{"id":"1","type":"next","payload":'
        self.encode = encode
        self.open = True


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
Outcome = _End | BaseException


class Member:
    """One subscriber attached to a feed."""

    __slots__ = ("_ended", "_pending", "executor", "held", "last", "sink")

    def __init__(self, sink: Sink, executor: Executor[Any]) -> None:
        self.sink = sink
        self.executor = executor
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
        if not sink.open:
            return
        if not sink.outlet.push(sink.prefix + payload + "}"):
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

    async def ended(self) -> Outcome:
        return await self._ended


class Feed(Generic[T]):
    """One live tail, executed and encoded once per event, for its members."""

    def __init__(
        self,
        key: Hashable,
        live: Callable[[Callable[[], None]], AsyncIterator[T]],
        seq_of: Callable[[T], int | None],
        executor: Executor[Any],
        encode: Callable[[object], str | bytes],
    ) -> None:
        self.key = key
        self.members: set[Member] = set()
        self.executions = 0  # events executed (tests count them)
        # Done once the live tail has read where it starts (or has ended): a member's head is
        # read after it, so no event falls between the head and the tail.
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._live = live(self._mark_ready)
        self._seq_of = seq_of
        self._executor = executor
        self._encode = encode
        self.task = asyncio.create_task(self._run(), name=f"feed {key!r}"[:200])
        metrics.LIVE_FEEDS.inc()

    async def _run(self) -> None:
        outcome: Outcome = DONE
        try:
            async for item in self._live:
                payload = await self._execute(item)
                seq = self._seq_of(item)
                for member in tuple(self.members):
                    member.offer(seq, payload)
        except asyncio.CancelledError:
            outcome = GAP  # stopped (no members left, or shutdown)
            raise
        except Exception as exc:  # each member's stream raises it, as its own
            outcome = exc
        finally:
            self._mark_ready()
            metrics.LIVE_FEEDS.dec()
            if _feeds.get(self.key) is self:
                del _feeds[self.key]
            for member in tuple(self.members):
                member.finish(outcome)
            aclose = getattr(self._live, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()

    def _mark_ready(self) -> None:
        if not self.ready.done():
            self.ready.set_result(None)

    async def _execute(self, item: T) -> str:
        result = self._executor.build_per_event_executor(item).execute_operation(False)
        if self._executor.is_awaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        self.executions += 1
        metrics.LIVE_EXECUTIONS.inc()
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            errors = list(result.errors)
            format_errors(errors)
            payload["errors"] = [error.formatted for error in errors]
        encoded = self._encode(payload)
        return encoded.decode() if isinstance(encoded, bytes) else encoded

    def attach(self, sink: Sink, executor: Executor[Any]) -> Member:
        member = Member(sink, executor)
        self.members.add(member)
        sink.outlet.watch(member)
        if self.task.done():  # ended between lookup and attach: the stream re-attaches
            member.end(GAP)
        return member

    def detach(self, member: Member) -> None:
        self.members.discard(member)
        member.sink.outlet.unwatch(member)
        if member.executor is self._executor and self.members:
            # Events run with a current member's executor (its context): same rights, and
            # nothing of a subscriber that left (its connection, its credential) is kept.
            self._executor = next(iter(self.members)).executor
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


def shareable(info: Any, stream_key: Hashable) -> Share | None:
    """How this operation can share `stream_key`'s live tail; None when it cannot (no sink:
    not over WebSocket; anonymous; a selection that cannot be keyed)."""
    sink, executor = current_sink.get(), current_executor.get()
    ctx = info.context
    if sink is None or executor is None or not isinstance(ctx, Context) or ctx.principal is None:
        return None
    selection = selection_key(info)
    if selection is None:
        return None
    principal = ctx.principal
    rights = (principal.user_id, tuple(sorted(principal.scopes)))
    return Share((stream_key, rights, selection), sink, executor)


async def follow(
    share: Share,
    head: Callable[[int | None], AsyncIterator[T]],
    live: Callable[[Callable[[], None]], AsyncIterator[T]],
    seq_of: Callable[[T], int | None],
    is_last: Callable[[T], bool],
    after: int | None = None,
) -> AsyncIterator[T]:
    """A subscriber's stream: its head (yielded, executed per subscriber as usual), then the
    shared live tail, which reaches its socket through the feed and is not yielded here.

    `head(position)` is the stream up to now from `position` (None: the current state);
    `live(ready)` the tail every subscriber shares, which calls `ready()` once it has read where
    it starts (subscribed to the broker first); `seq_of` an event's seq (None: a value stream);
    `is_last` true for an event after which the stream completes.
    """
    key, sink, executor = share.key, share.sink, share.executor
    position = after
    while True:
        feed = _feeds.get(key)
        if feed is None:
            feed = Feed(key, live, seq_of, executor, sink.encode)
            _feeds[key] = feed
        member = feed.attach(sink, executor)
        try:
            if not feed.ready.done():
                # Shielded: this subscriber leaving must not cancel what others wait on.
                await asyncio.shield(feed.ready)
            async for item in head(position):
                yield item
                seq = seq_of(item)
                if seq is not None:
                    position = seq
                if is_last(item):
                    return
            member.release(position)
            outcome = await member.ended()
            if outcome is DONE:
                return
            if outcome is GAP:
                if member.last is not None:
                    position = member.last
                continue
            if isinstance(outcome, Exception):
                raise _own_copy(outcome)
            raise RuntimeError(f"feed ended with {outcome!r}")
        finally:
            feed.detach(member)


def _own_copy(error: Exception) -> Exception:
    """The feed's error for one member to raise: a copy, since raising one object in every
    member's task would chain each raise's traceback onto it (a thousand members, a thousand
    tracebacks on one object, and in every log line that prints it)."""
    try:
        clone = copy.copy(error)
    except Exception:  # an exception type that cannot be rebuilt from its args
        return error
    return clone.with_traceback(None)
