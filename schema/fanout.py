"""Live streams shared between subscribers: one execution and one encoding per event, and no
task per subscriber once it is live.

Without this, every subscriber of a stream ran graphql-core over every event and encoded its own
JSON: at a thousand dashboards on one job, ~200 µs of CPU per delivery. Here, WebSocket
subscribers whose operations select the same fields (the same printed selection and the values
of the variables it uses) of the same stream (the resolver's key: what is followed and for whom)
with the same rights (user and scopes) attach to ONE `Feed`. The feed runs the stream's live tail
once, executes the selection once per event (with a current member's executor: graphql-core's
own per-event execution, in a context with the same rights) and encodes the payload once; each
subscriber's frame is that payload behind its own id (`Sink.prefix`), handed to its socket's
bounded outbox (schema.ws).

Such a subscriber's operation hands its stream over (`park`) and its task ends: the `Parked`
record sends the subscriber's head (the snapshot, or the stored events after `afterSeq`,
executed with the subscriber's own executor), joins the feed and from then on lives in
callbacks — the feed's events, the credential guard (resolvers.streams.Guard: an expired or
revoked credential ends that subscriber's stream only), the end of the stream (`complete`, or
the error frame and `complete`, exactly as Strawberry sends them), the client's `complete` or
`stop` (the handler calls `Parked.stop`). Strawberry's operation task, graphql-core's
subscription iterator and the stream's generators were most of an idle subscriber's memory
(~25 KiB of ~55); what stays is the member, the sink, the guard, the executor and its context.
The operation's log line and metrics are written when the stream really ends
(schema.observability defers them to `Parked.at_end`).

No event is lost or repeated on attach: a subscriber attaches (held) BEFORE it reads its head,
and reads its head only once the feed has read where its live tail starts (`Feed.ready`: the
tail subscribed to the broker, then read the stream's position). So every event is either in
the head (the tail's later events are dropped by seq) or handled by the feed after the member
attached (buffered until the head is sent). Without that wait, the first subscriber of a new
feed could read its head before the feed read its position: an event committed in between was
in neither, and reached the subscriber only when a later event showed the gap (never, when it
was the job's last). A gap in seq (a feed that started after the subscriber's read, a held
buffer that overflowed) ends the attachment and the subscriber catches up from the database from
its last seq (in a task that lives as long as the catch-up), then attaches again. Streams of
values without seq (progress) need no such care: a later value supersedes an earlier one, so
only the newest held value is kept.

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
from typing import Any, Final, Generic, Protocol, TypeVar

from graphql import ExecutionResult, GraphQLError, GraphQLResolveInfoHelpers, print_ast
from graphql.execution.executor import Executor

from resolvers import streams
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
        self.parked: Parked[Any] | None = None

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


@dataclass(frozen=True, slots=True)
class Parts(Generic[T]):
    """A shareable stream: `head(position)` is the stream up to now from `position` (None: the
    current state); `live(ready)` the tail every subscriber shares, which calls `ready()` once
    it has read where it starts (subscribed to the broker first); `seq_of` an event's seq (None:
    a value stream); `is_last` true for an event after which the stream completes."""

    head: Callable[[int | None], AsyncIterator[T]]
    live: Callable[[Callable[[], None]], AsyncIterator[T]]
    seq_of: Callable[[T], int | None]
    is_last: Callable[[T], bool]


async def park(share: Share, parts: Parts[Any], after: int | None = None) -> None:
    """Hand this subscriber's stream to its feed: send its head from `after`, join the feed,
    and return — the operation's task ends; the stream goes on in a `Parked` record."""
    parked = Parked(share, parts, after)
    try:
        await parked.join(share.executor)
    except BaseException:
        parked.stop()  # the operation was cancelled while sending its head
        raise


class Parked(Generic[T]):
    """A subscriber's stream held by its feed, its socket and its credential guard, not by a
    task: see the module's docstring."""

    __slots__ = (
        "_codes",
        "_done",
        "_guard",
        "_report",
        "_task",
        "ctx",
        "feed",
        "key",
        "member",
        "parts",
        "position",
        "sink",
    )

    def __init__(self, share: Share, parts: Parts[T], position: int | None) -> None:
        self.key, self.sink, self.ctx = share.key, share.sink, share.ctx
        self.parts, self.position = parts, position
        self.feed: Feed[T] | None = None
        self.member: Member | None = None
        self._codes: list[str] = []  # error codes sent, for the operation's log line
        self._report: Callable[[list[str]], None] | None = None
        self._done = False
        self._task: asyncio.Task[None] | None = None  # a catch-up after a gap
        self._guard = streams.Guard(share.ctx, self._unauthenticated)
        metrics.LIVE_PARKED.inc()
        sink = share.sink
        sink.parked = self
        assert sink.owner is not None
        sink.owner.hand_over(sink)

    async def join(self, executor: Executor[Any]) -> None:
        """Attach to the feed (a new one if there is none), send the head from `position`
        (executed by `executor`), then go live: what follows happens in the feed's task and in
        callbacks."""
        key, parts, sink = self.key, self.parts, self.sink
        try:
            feed = _feeds.get(key)
            if feed is None:
                feed = _feeds[key] = Feed(key, parts.live, parts.seq_of, executor, sink.encode)
            member = feed.attach(sink, self.ctx)
            self.feed, self.member = feed, member
            if not feed.ready.done():
                # Shielded: this subscriber leaving must not cancel what others wait on.
                await asyncio.shield(feed.ready)
                if self._done:
                    return
            async for item in parts.head(self.position):
                if self._done:
                    return
                payload, codes = await execute_event(executor, item, sink.encode)
                self._codes += codes
                if not sink.send(payload):
                    self._end(None)  # the socket is gone or overflowed
                    return
                seq = parts.seq_of(item)
                if seq is not None:
                    self.position = seq
                if parts.is_last(item):
                    self._end(None)
                    return
            if not self._done:
                member.release(self.position)
                member.on_end(self._outcome)
        except Exception as exc:
            self._end(failure(exc, sink.encode))

    def _outcome(self, member: Member, outcome: Outcome) -> None:
        if self._done or member is not self.member:
            return
        if outcome is DONE:
            self._end(None)
        elif outcome is GAP:
            if member.last is not None:
                self.position = member.last
            feed = self.feed
            assert feed is not None
            # The operation's own executor is long gone: the feed's, in this subscriber's
            # context, executes the same selection (the feed's key says so).
            executor = with_context(feed.executor, self.ctx)
            self._leave()
            self._task = asyncio.create_task(self._catch_up(executor), name="catch up")
        else:
            assert isinstance(outcome, Failed)
            self._end(outcome)

    async def _catch_up(self, executor: Executor[Any]) -> None:
        try:
            await self.join(executor)
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    def _unauthenticated(self, error: Exception) -> None:
        self._end(failure(error, self.sink.encode))

    def _leave(self) -> None:
        member, self.member = self.member, None
        if member is not None and self.feed is not None:
            self.feed.detach(member)

    def _close(self) -> None:
        self._done = True
        metrics.LIVE_PARKED.dec()
        self._leave()
        self.feed = None
        self._guard.close()
        task = self._task
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def _end(self, failed: Failed | None) -> None:
        """The stream ended: its error frame (if it failed) and `complete`, as Strawberry sends
        them; then the operation is over."""
        if self._done:
            return
        self._close()
        sink = self.sink
        if failed is not None:
            self._codes.append(failed.code)
            sink.send(failed.payload)
        if sink.open:
            sink.outlet.push(sink.ending)
        sink.open = False
        if sink.owner is not None:
            sink.owner.forget(sink)
        self._reported()

    def stop(self, farewell: str | None = None) -> None:
        """The client stopped the operation or left: release everything; send `farewell`
        first if given (the legacy protocol answers `stop` with `complete`)."""
        if self._done:
            return
        self._close()
        sink = self.sink
        if farewell is not None and sink.open:
            sink.outlet.push(farewell)
        sink.open = False
        self._reported()

    @property
    def done(self) -> bool:
        return self._done

    def at_end(self, report: Callable[[list[str]], None]) -> None:
        """Call `report(error codes sent)` when the stream ends (now, if it has)."""
        self._report = report
        if self._done:
            self._reported()

    def _reported(self) -> None:
        report, self._report = self._report, None
        if report is not None:
            report(self._codes)
