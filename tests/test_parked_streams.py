"""A parked stream (schema.parked.Parked) on its own, with a stream whose database and live tail
the test controls: its head, then the feed's events; a gap caught up from the database without
repeats; the end (`complete`), a failure (the error frame, then `complete`), the credential's
end, and a stop — each releasing the member, the feed and the guard. The timing of a gap is
hard to cause over a network; here each case is stated exactly. The live suite covers the rest
end to end (tests/live/test_parked.py, tests/live/test_fanout.py)."""

import asyncio
import gc
import uuid
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
from graphql import build_schema, parse
from graphql.execution.executor import Executor

from models import User
from schema import fanout, parked
from services.auth import Principal
from services.broker import MemoryBroker
from services.errors import NotFound

SCHEMA = build_schema(
    "type Query { x: Int } type Subscription { tick: Tick } type Tick { seq: Int }"
)


class Ctx:
    """What a parked stream reads of its context: the caller and the broker."""

    def __init__(self, principal: Principal, broker: MemoryBroker) -> None:
        self.principal, self.broker = principal, broker


class Socket:
    def __init__(self) -> None:
        self.frames: list[Any] = []

    def push(self, frame: str) -> bool:
        self.frames.append(orjson.loads(frame))
        return True

    def watch(self, member: fanout.Member) -> None:
        pass

    def unwatch(self, member: fanout.Member) -> None:
        pass


class Owner:
    def __init__(self) -> None:
        self.handed: list[str] = []
        self.forgotten: list[str] = []

    def hand_over(self, sink: fanout.Sink) -> None:
        self.handed.append(sink.id)

    def forget(self, sink: fanout.Sink) -> None:
        self.forgotten.append(sink.id)


class Stream:
    """A stream of events `{"tick": {"seq": n}}`: stored ones (the head reads them) and a live
    tail the test feeds."""

    def __init__(self, stored: int) -> None:
        self.stored = list(range(1, stored + 1))
        self.live: asyncio.Queue[int | Exception | None] = asyncio.Queue()
        self.heads: list[int | None] = []

    async def head(self, after: int | None) -> AsyncIterator[dict[str, Any]]:
        self.heads.append(after)
        for seq in self.stored:
            if after is None or seq > after:
                yield {"tick": {"seq": seq}}

    async def tail(self, ready: Callable[[], None]) -> AsyncIterator[dict[str, Any]]:
        ready()
        while (item := await self.live.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield {"tick": {"seq": item}}

    def parts(self) -> fanout.Parts[dict[str, Any]]:
        return fanout.Parts(self.head, self.tail, lambda e: e["tick"]["seq"], lambda e: False)

    def happen(self, seq: int, *, live: bool = True) -> None:
        self.stored.append(seq)
        if live:
            self.live.put_nowait(seq)


def subscriber(stream: Stream, key: str = "k") -> tuple[Socket, Owner, fanout.Share]:
    socket, owner = Socket(), Owner()
    sink = fanout.Sink(
        socket,
        '{"id":"1","type":"next","payload":',
        orjson.dumps,
        ending='{"id":"1","type":"complete"}',
        owner=owner,
        id="1",
    )
    user = User(id=uuid.uuid4(), email="a@example.com", password_hash="x")
    principal = Principal(user, frozenset({"read"}), expires_at=None, session_generation=0)
    ctx: Any = Ctx(principal, MemoryBroker())
    executor = Executor.build(SCHEMA, parse("subscription { tick { seq } }"), context_value=ctx)
    assert isinstance(executor, Executor)
    return socket, owner, fanout.Share(key, sink, executor, ctx)


def _never(_event: object) -> bool:
    return False


def seqs(socket: Socket) -> list[int | str]:
    return [
        f["payload"]["data"]["tick"]["seq"] if f["type"] == "next" else f["type"]
        for f in socket.frames
    ]


async def until(check: Callable[[], bool]) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within 5 s")


async def test_the_head_then_the_feed_then_complete() -> None:
    stream = Stream(stored=2)
    socket, owner, share = subscriber(stream)
    await parked.park(share, stream.parts())
    assert owner.handed == ["1"]
    assert seqs(socket) == [1, 2]
    stream.happen(3)
    await until(lambda: len(socket.frames) == 3)
    stream.live.put_nowait(None)  # the stream completes
    await until(lambda: owner.forgotten == ["1"])
    assert seqs(socket) == [1, 2, 3, "complete"]
    assert fanout.feeds() == {}
    assert not share.sink.open


async def test_a_gap_is_caught_up_from_the_database_without_repeats() -> None:
    stream = Stream(stored=2)
    socket, owner, share = subscriber(stream)
    await parked.park(share, stream.parts())
    stream.happen(3)
    stream.happen(4, live=False)  # the feed never sees 4 (a lost broker message)
    stream.happen(5)
    await until(lambda: len(socket.frames) == 5)
    assert seqs(socket) == [1, 2, 3, 4, 5]
    assert stream.heads == [None, 3]  # caught up from its last delivered seq
    stream.happen(6)
    await until(lambda: len(socket.frames) == 6)
    stream.live.put_nowait(None)
    await until(lambda: owner.forgotten == ["1"])
    assert seqs(socket) == [1, 2, 3, 4, 5, 6, "complete"]
    assert fanout.feeds() == {}


async def test_a_failing_stream_sends_its_error_then_complete() -> None:
    stream = Stream(stored=1)
    socket, owner, share = subscriber(stream)
    await parked.park(share, stream.parts())
    stream.live.put_nowait(NotFound("No such job.", field="jobId"))
    await until(lambda: owner.forgotten == ["1"])
    error, end = socket.frames[1:]
    assert error["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in error["payload"]["errors"]] == ["NOT_FOUND"]
    assert end == {"id": "1", "type": "complete"}


async def test_the_credentials_end_sends_unauthenticated_and_releases_the_feed() -> None:
    stream = Stream(stored=1)
    socket, owner, share = subscriber(stream)
    reported: list[list[str]] = []
    await parked.park(share, stream.parts())
    parked_stream = share.sink.parked
    assert parked_stream is not None
    parked_stream.at_end(reported.append)
    parked_stream._guard._fire()  # what an expiry or a revocation calls
    assert owner.forgotten == ["1"]
    codes = [e["extensions"]["code"] for e in socket.frames[1]["payload"]["errors"]]
    assert codes == ["UNAUTHENTICATED"]
    assert socket.frames[2]["type"] == "complete"
    assert reported == [["UNAUTHENTICATED"]]
    await until(lambda: fanout.feeds() == {})


async def test_a_stop_sends_nothing_more_and_keeps_the_others_going() -> None:
    stream = Stream(stored=1)
    socket, _, share = subscriber(stream)
    other_socket, _, other_share = subscriber(stream)
    await parked.park(share, stream.parts())
    await parked.park(other_share, stream.parts())
    assert len(fanout.feeds()) == 1  # one feed, two members
    parked_stream = share.sink.parked
    assert parked_stream is not None
    reported: list[list[str]] = []
    parked_stream.at_end(reported.append)
    parked_stream.stop()
    assert reported == [[]]
    stream.happen(2)
    await until(lambda: len(other_socket.frames) == 2)
    assert seqs(socket) == [1]
    assert seqs(other_socket) == [1, 2]
    stream.live.put_nowait(None)
    await until(lambda: fanout.feeds() == {})


async def test_nothing_of_a_subscriber_that_left_is_kept() -> None:
    stream = Stream(stored=1)
    _, _, first = subscriber(stream)
    _, _, second = subscriber(stream)

    async def operation(share: fanout.Share) -> None:
        # As the WebSocket handler runs one: its sink in a context variable of its task, which
        # the feed and the credential watch the first subscriber starts must not inherit.
        fanout.current_sink.set(share.sink)
        await parked.park(share, stream.parts())

    await asyncio.create_task(operation(first))
    await asyncio.create_task(operation(second))
    gone = weakref.ref(first.ctx)
    first_parked = first.sink.parked
    assert first_parked is not None
    first_parked.stop()
    del first, first_parked
    gc.collect()
    assert gone() is None
    assert len(fanout.feeds()) == 1  # the second subscriber's feed goes on
    stream.live.put_nowait(None)
    await until(lambda: fanout.feeds() == {})


async def test_a_subscriber_joining_a_feed_keeps_the_feeds_key_and_parts_not_its_own() -> None:
    """Everyone with a feed's key follows the same stream: a joining subscriber's own parts (the
    stream's closures) and key (the printed selection) are let go, and what it keeps still
    serves it — here a gap, caught up through the feed's parts."""
    stream = Stream(stored=1)
    _, _, first = subscriber(stream)
    socket, _, second = subscriber(stream)
    # A key equal to the feed's, not the same object (as each subscriber prints its own).
    second = fanout.Share("".join(["k"]), second.sink, second.executor, second.ctx)
    await parked.park(first, stream.parts())

    def own_head(after: int | None) -> AsyncIterator[dict[str, Any]]:
        return stream.head(after)

    own_closure = weakref.ref(own_head)
    await parked.park(second, fanout.Parts(own_head, stream.tail, stream.parts().seq_of, _never))
    [feed] = fanout.feeds().values()
    held = second.sink.parked
    assert held is not None
    assert held.feed is feed
    assert held.parts is feed.parts
    assert held.key is feed.key
    del own_head
    gc.collect()
    assert own_closure() is None
    stream.happen(2)
    stream.happen(3, live=False)  # a gap: the second catches up through the feed's head
    stream.happen(4)
    await until(lambda: len(socket.frames) == 4)
    assert seqs(socket) == [1, 2, 3, 4]
    stream.live.put_nowait(None)
    await until(lambda: fanout.feeds() == {})
