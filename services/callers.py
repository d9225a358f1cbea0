"""The callers' user rows, cached per process: the statement every request with a session token
would otherwise spend before its first read.

A row is used for at most `ttl` seconds, and forgotten as soon as it changes:
- `changed()`, called after the commit of any change to a user row, forgets it in this process
  at once and announces it on the broker (`CHANNEL`), where `follow()` — running for the life
  of every API process — forgets it in the others;
- a read that started before a forget is not cached (`version`): it may have seen the old row;
- when the broker reconnects (messages may have been lost) or `follow()` starts, everything is
  forgotten;
- a change made outside the service (SQL by hand) is seen within `ttl`.
"""

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from services.broker import RESYNC, Broker

CHANNEL = "auth:users"
TTL_SECONDS = 5.0
MAX_USERS = 10_000


class CallerCache:
    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        maxsize: int = MAX_USERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self.clock = clock
        # Moves on every forget: a read that began before it must not be stored.
        self.version = 0
        self._rows: OrderedDict[uuid.UUID, tuple[float, dict[str, Any]]] = OrderedDict()

    def get(self, user_id: uuid.UUID) -> dict[str, Any] | None:
        entry = self._rows.get(user_id)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            del self._rows[user_id]
            return None
        return entry[1]

    def put(self, user_id: uuid.UUID, row: dict[str, Any], version: int) -> None:
        """Keep `row`, read after `version` was current, unless something was forgotten since."""
        if self.ttl <= 0 or version != self.version:
            return
        self._rows[user_id] = (self.clock() + self.ttl, row)
        self._rows.move_to_end(user_id)
        if len(self._rows) > self.maxsize:
            self._rows.popitem(last=False)

    def forget(self, user_id: uuid.UUID) -> None:
        self.version += 1
        self._rows.pop(user_id, None)

    def clear(self) -> None:
        self.version += 1
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)


async def changed(cache: CallerCache, broker: Broker, user_id: uuid.UUID) -> None:
    """After a change to user `user_id` has committed: no process uses its old row again."""
    cache.forget(user_id)
    await broker.publish(CHANNEL, {"user": str(user_id)})


async def follow(cache: CallerCache, broker: Broker) -> None:
    """Forget the rows other processes change, for as long as it runs."""
    async with broker.subscribe(CHANNEL) as messages:
        cache.clear()  # what was cached before the subscription may have missed a change
        async for message in messages:
            if message is RESYNC or "user" not in message:
                cache.clear()
            else:
                try:
                    cache.forget(uuid.UUID(str(message["user"])))
                except ValueError:
                    cache.clear()
