"""Parked subscriptions: once a WebSocket subscriber's stream has joined its shared feed
(schema.fanout), no task of its own.

A shareable subscription hands its stream over (`park`) and its operation's task ends: the
`Parked` record sends the subscriber's head (the snapshot, or the stored events after `afterSeq`,
executed with the subscriber's own operation), joins the feed and from then on lives in
callbacks — the feed's events, the credential guard (resolvers.streams.Guard: an expired or
revoked credential ends that subscriber's stream only), the end of the stream (`complete`, or
the error frame and `complete`, exactly as Strawberry sends them), the client's `complete` or
`stop` (the handler calls `Parked.stop`). Strawberry's operation task, graphql-core's
subscription iterator and the stream's generators were most of an idle subscriber's memory
(~25 KiB of ~55); what stays is the member, the sink, the guard and the subscriber's context.
The operation's log line and metrics are written when the stream really ends
(schema.observability defers them to `Parked.at_end`).

No event is lost or repeated on attach: a subscriber attaches (held) BEFORE it reads its head,
and reads its head only once the feed has read where its live tail starts (`Feed.ready`: the
tail subscribed to the broker, then read the stream's position). So every event is either in
the head (the tail's later events are dropped by seq) or handled by the feed after the member
attached (buffered until the head is sent). Without that wait, the first subscriber of a new
feed could read its head before the feed read its position: an event committed in between was
in neither, and reached the subscriber only when a later event showed the gap (never, when it
was the job's last). After a gap the subscriber catches up from the database from its last seq,
in a task that lives as long as the catch-up, then attaches again.
"""

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from graphql.execution.executor import Executor

from resolvers import streams
from schema.fanout import (
    DONE,
    GAP,
    Failed,
    Feed,
    Member,
    Outcome,
    Parts,
    Share,
    execute_event,
    failure,
    feeds,
    with_context,
)
from services import metrics

T = TypeVar("T")


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
            live_feeds = feeds()
            feed = live_feeds.get(key)
            if feed is None:
                feed = live_feeds[key] = Feed(key, parts, executor, sink.encode)
            else:
                # Everyone with this key follows the same stream: the feed's key and parts serve
                # this subscriber too, and its own copies (the stream's closures, the printed
                # selection: ~1.5 KiB) need not live as long as it does.
                key, parts = self.key, self.parts = feed.key, feed.parts
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

    def stop(self, *, complete: bool = False) -> None:
        """The client stopped the operation or left: release everything; send `complete` first
        if asked (the legacy protocol answers `stop` with it)."""
        if self._done:
            return
        self._close()
        sink = self.sink
        if complete and sink.open:
            sink.outlet.push(sink.ending)
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
