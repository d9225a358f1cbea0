"""How a subscriber attached to a shared feed (schema.fanout.Member) treats the feed's events:
held while its head is sent, then delivered from its own last seq on; a gap, a held backlog past
MAX_HELD, or a socket that refuses frames end the attachment with the outcome its stream acts on
(catch up from the database, or stop). The races these cover are hard to time over a network:
here each case is stated exactly."""

from schema.fanout import DONE, GAP, MAX_HELD, Member, Sink


class Socket:
    """An outlet that keeps what it is sent (or refuses everything once `closed`)."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.closed = False

    def push(self, frame: str) -> bool:
        if self.closed:
            return False
        self.frames.append(frame)
        return True

    def watch(self, member: Member) -> None:
        pass

    def unwatch(self, member: Member) -> None:
        pass


def member() -> tuple[Member, Socket]:
    socket = Socket()
    return Member(Sink(socket, '{"id":"7","type":"next","payload":', repr), None), socket


def frame(payload: str) -> str:
    return '{"id":"7","type":"next","payload":' + payload + "}"


async def test_held_events_are_delivered_after_the_head_without_repeats() -> None:
    subscriber, socket = member()
    for seq in (5, 6, 7):
        subscriber.offer(seq, f'"e{seq}"')
    assert socket.frames == []  # the head is still being sent
    subscriber.release(5)  # the head ended with seq 5: 5 is not sent again
    subscriber.offer(8, '"e8"')
    subscriber.offer(8, '"e8"')  # a repeat is dropped
    assert socket.frames == [frame('"e6"'), frame('"e7"'), frame('"e8"')]
    assert subscriber.last == 8


async def test_a_gap_after_the_head_means_catching_up() -> None:
    subscriber, socket = member()
    subscriber.offer(9, '"e9"')
    subscriber.release(6)  # 7 and 8 are in neither the head nor the feed
    assert socket.frames == []
    assert await subscriber.ended() is GAP
    assert subscriber.last == 6  # where the catch-up starts


async def test_a_gap_while_live_means_catching_up_from_the_last_delivered() -> None:
    subscriber, socket = member()
    subscriber.release(3)
    subscriber.offer(4, '"e4"')
    subscriber.offer(6, '"e6"')
    assert socket.frames == [frame('"e4"')]
    assert await subscriber.ended() is GAP
    assert subscriber.last == 4


async def test_a_held_backlog_past_its_bound_means_catching_up() -> None:
    subscriber, socket = member()
    for seq in range(1, MAX_HELD + 2):
        subscriber.offer(seq, f'"e{seq}"')
    assert await subscriber.ended() is GAP
    assert subscriber.held is not None
    assert len(subscriber.held) == MAX_HELD
    subscriber.release(0)
    assert socket.frames == []  # ended: nothing more is sent


async def test_a_value_stream_holds_only_the_newest_value() -> None:
    subscriber, socket = member()
    for value in ('"a"', '"b"', '"c"'):
        subscriber.offer(None, value)
    subscriber.release(None)
    subscriber.offer(None, '"d"')
    assert socket.frames == [frame('"c"'), frame('"d"')]


async def test_the_feeds_end_seen_while_held_comes_after_the_held_events() -> None:
    subscriber, socket = member()
    subscriber.offer(3, '"e3"')
    subscriber.offer(4, '"last"')
    subscriber.finish(DONE)
    assert not subscriber._ended.done()  # its head is not sent yet
    subscriber.release(2)
    assert socket.frames == [frame('"e3"'), frame('"last"')]
    assert await subscriber.ended() is DONE


async def test_the_feeds_end_after_a_gap_is_a_gap() -> None:
    subscriber, socket = member()
    subscriber.offer(5, '"last"')
    subscriber.finish(DONE)
    subscriber.release(2)  # 3 and 4 missing: catch up from the database, which has them
    assert socket.frames == []
    assert await subscriber.ended() is GAP


async def test_a_closed_sink_or_socket_gets_nothing_more() -> None:
    subscriber, socket = member()
    subscriber.release(1)
    subscriber.sink.open = False  # the client stopped the operation
    subscriber.offer(2, '"e2"')
    assert socket.frames == []
    other, refusing = member()
    other.release(1)
    refusing.closed = True  # the socket overflowed
    other.offer(2, '"e2"')
    assert await other.ended() is DONE
