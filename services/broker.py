"""Pub/sub between processes: in-process for the embedded mode, Redis pub/sub when deployed.

Each process holds ONE broker subscription connection and fans messages out to its local
subscribers (never one Redis connection per WebSocket client). Messages are small JSON objects.
A subscriber that may have missed messages (its queue overflowed, or Redis reconnected) receives
`RESYNC` and is expected to re-read the truth from the database.
"""

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from typing import Any, Final

import orjson
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from services import metrics

log = logging.getLogger(__name__)

Message = dict[str, Any]
RESYNC: Final[Message] = {"resync": True}
QUEUE_SIZE = 1000


class Subscription:
    """One local subscriber's queue; iterate it to receive messages."""

    def __init__(self, channel: str, maxsize: int = QUEUE_SIZE) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[Message] = asyncio.Queue(maxsize)

    def deliver(self, message: Message) -> None:
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            # Too slow to keep up: drop the backlog, tell it to catch up from the database.
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(RESYNC)

    def __aiter__(self) -> "Subscription":
        return self

    async def __anext__(self) -> Message:
        return await self._queue.get()


class Broker(ABC):
    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = {}

    @abstractmethod
    async def publish(self, channel: str, message: Message) -> None: ...

    async def start(self) -> None:  # noqa: B027 - optional hook
        pass

    async def stop(self) -> None:  # noqa: B027 - optional hook
        pass

    async def ping(self) -> None:  # noqa: B027 - optional hook
        pass

    async def _listen(self, channel: str) -> None:  # noqa: B027 - optional hook
        pass

    async def _unlisten(self, channel: str) -> None:  # noqa: B027 - optional hook
        pass

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        """Receive the messages published on `channel` from now until the block exits."""
        subscription = Subscription(channel)
        local = self._subscribers.setdefault(channel, set())
        local.add(subscription)
        try:
            if len(local) == 1:
                await self._listen(channel)
            yield subscription
        finally:
            local.discard(subscription)
            if not local and self._subscribers.get(channel) is local:
                del self._subscribers[channel]
                await self._unlisten(channel)

    def subscriber_count(self, channel: str) -> int:
        return len(self._subscribers.get(channel, ()))

    def _fan_out(self, channel: str, message: Message) -> None:
        subscriptions = tuple(self._subscribers.get(channel, ()))
        for subscription in subscriptions:
            subscription.deliver(message)
        metrics.record_delivered(channel, len(subscriptions))

    def _resync_all(self) -> None:
        for subscriptions in self._subscribers.values():
            for subscription in subscriptions:
                subscription.deliver(RESYNC)


class MemoryBroker(Broker):
    """Single-process broker: publishing delivers to local subscribers at once."""

    async def publish(self, channel: str, message: Message) -> None:
        metrics.record_published(channel)
        self._fan_out(channel, orjson.loads(orjson.dumps(message)))


class RedisBroker(Broker):
    """Redis pub/sub with one subscription connection per process and a listener task."""

    def __init__(self, url: str, *, reconnect_delay: float = 0.5) -> None:
        super().__init__()
        self._redis = Redis.from_url(url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._listener: asyncio.Task[None] | None = None
        self._reconnect_delay = reconnect_delay
        self._lock = asyncio.Lock()
        self._has_channels = asyncio.Event()

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen_forever(), name="redis-broker")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._pubsub.aclose()
        await self._redis.aclose()

    async def ping(self) -> None:
        await self._redis.ping()

    async def publish(self, channel: str, message: Message) -> None:
        # Publishing follows a commit: failing here must not fail the request that committed.
        # Subscribers re-read the database when the broker stays quiet, so nothing is lost.
        try:
            await self._redis.publish(channel, orjson.dumps(message))
            metrics.record_published(channel)
        except (RedisConnectionError, RedisTimeoutError, OSError):
            log.warning("broker: could not publish on %s; subscribers will catch up", channel)

    async def _listen(self, channel: str) -> None:
        async with self._lock:
            try:
                await self._pubsub.subscribe(channel)
                self._has_channels.set()
            except (RedisConnectionError, RedisTimeoutError):
                # The listener re-subscribes every local channel once Redis is back.
                log.warning("broker: could not subscribe to %s now; will on reconnect", channel)

    async def _unlisten(self, channel: str) -> None:
        async with self._lock:
            with contextlib.suppress(RedisConnectionError, RedisTimeoutError):
                await self._pubsub.unsubscribe(channel)

    async def _listen_forever(self) -> None:
        while True:
            if not self._pubsub.subscribed:
                # redis-py refuses to read before a SUBSCRIBE has set up the connection.
                self._has_channels.clear()
                await self._has_channels.wait()
                continue
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except (RedisConnectionError, RedisTimeoutError, OSError):
                log.warning("broker: Redis connection lost; reconnecting", exc_info=True)
                await self._reconnect()
                continue
            if message is None:
                continue
            if message["type"] != "message":
                continue
            channel = message["channel"].decode()
            try:
                payload = orjson.loads(message["data"])
            except orjson.JSONDecodeError:
                log.warning("broker: dropped a malformed message on %s", channel)
                continue
            self._fan_out(channel, payload)

    async def _reconnect(self) -> None:
        while True:
            await asyncio.sleep(self._reconnect_delay)
            try:
                async with self._lock:
                    await self._pubsub.aclose()
                    self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                    channels = list(self._subscribers)
                    if channels:
                        await self._pubsub.subscribe(*channels)
                        self._has_channels.set()
                    else:
                        await self._redis.ping()
            except (RedisConnectionError, RedisTimeoutError, OSError):
                continue
            log.info("broker: reconnected to Redis; %d channels re-subscribed", len(channels))
            # Whatever was published while we were away is in the database: catch up from there.
            self._resync_all()
            return


def broker_from_url(redis_url: str | None) -> Broker:
    return RedisBroker(redis_url) if redis_url else MemoryBroker()
