"""A gap-free stream of seq-numbered events: the resume rules every live stream follows.

Events carry a seq (1, 2, 3 … per job or per project, in commit order) and are stored in the
transaction that made them, then published on the broker after the commit. A stream subscribes
to the broker BEFORE it reads the table, so nothing committed in between is lost; it drops what
arrives twice (seq already sent) and refills a gap (seq past the next one) from the table. When
the broker has been quiet for a while, or says it may have lost messages (RESYNC), the table is
read again and the followed row checked: a message lost in transit (a Redis restart) only delays
an event, and a deletion whose message was lost still ends the stream.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from services.broker import RESYNC, Broker, Message, Subscription

T = TypeVar("T")


@dataclass(frozen=True)
class Source(Generic[T]):
    """What one followed row's events are: how to read them, decode them, number them."""

    # A page of the stored events with seq > the given one, oldest first (at most `page`).
    stored_after: Callable[[int], Awaitable[Sequence[T]]]
    page: int
    from_message: Callable[[Message], T]
    seq_of: Callable[[T], int]
    # The stream ends after an event for which this is true (a job's terminal state).
    is_last: Callable[[T], bool]
    # Whether the followed row still exists; `gone()` is what the stream raises when not.
    exists: Callable[[], Awaitable[bool]]
    gone: Callable[[], Exception]


def never(_: object) -> bool:
    return False


async def stored_from(source: Source[T], last: int) -> AsyncIterator[T]:
    """The stored events after `last`, a page at a time, until caught up or a last one."""
    while True:
        stored = await source.stored_after(last)
        for event in stored:
            yield event
            last = source.seq_of(event)
            if source.is_last(event):
                return
        if len(stored) < source.page:
            return


async def tail(
    live: Subscription, source: Source[T], last: int, quiet_recheck: float
) -> AsyncIterator[T]:
    """Every event after `last`, in order, none skipped or repeated, until a last one (or
    `gone()` once the row is deleted). `live` must have been subscribed before `last` was read."""
    while True:
        # Stored events first (catch-up, gap refill), then the live messages.
        async for event in stored_from(source, last):
            yield event
            last = source.seq_of(event)
            if source.is_last(event):
                return
        while True:
            try:
                async with asyncio.timeout(quiet_recheck):
                    message = await anext(live)
            except TimeoutError:
                break  # quiet: re-read from the table
            if message is RESYNC or message.get("resync"):
                break
            if message.get("deleted"):
                raise source.gone()
            event = source.from_message(message)
            seq = source.seq_of(event)
            if seq <= last:
                continue  # sent already (it was in the table when we caught up)
            if seq > last + 1:
                break  # a gap: refill from the table
            yield event
            last = seq
            if source.is_last(event):
                return
        # Re-reading: the row may have been deleted while its message was lost.
        if not await source.exists():
            raise source.gone()


async def live_after(
    broker: Broker,
    channel: str,
    source: Source[T],
    position: Callable[[], Awaitable[int | None]],
    quiet_recheck: float,
    ready: Callable[[], None] | None = None,
) -> AsyncIterator[T]:
    """The live tail alone, as a shared feed follows it: subscribed to `channel` first, then
    `position()` read — the seq the tail starts after, None when nothing more will come (it
    raises when the row is gone) — then every event after it (`tail`). `ready` is called once
    that read is done: a subscriber that reads its own head after it misses nothing between."""
    async with broker.subscribe(channel) as live:
        try:
            last = await position()
        finally:
            if ready is not None:
                ready()
        if last is None:
            return
        async for event in tail(live, source, last, quiet_recheck):
            yield event
