"""Rate limits: per caller on every operation, and per email and per address on logIn.

Fixed windows counted by a `Limiter`: in process (embedded mode, one process) or in Redis, shared
by every API process. A limiter that cannot answer (Redis down) never fails a request: the
request is allowed and the outage is logged once.
"""

import hashlib
import logging
import math
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from services import metrics
from services.errors import RateLimited

log = logging.getLogger(__name__)


class LimiterUnavailable(Exception):
    """The limiter could not count this hit."""


class Limiter(ABC):
    @abstractmethod
    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one hit on `key`; return the hits in its current window (this one included)
        and the whole seconds (≥ 1) until that window ends."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        pass


class MemoryLimiter(Limiter):
    """Windows in a dict of key → (ends at, hits), for one process.

    `hit` never awaits, so on one event loop it is atomic without a lock. Expired windows are
    swept every `sweep_seconds`; at `max_keys` the oldest windows are dropped, so memory stays
    bounded whatever the number of distinct keys.
    """

    def __init__(
        self,
        *,
        max_keys: int = 100_000,
        sweep_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._max_keys = max_keys
        self._sweep_seconds = sweep_seconds
        self._clock = clock
        self._next_sweep = 0.0

    def __len__(self) -> int:
        return len(self._windows)

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        now = self._clock()
        self._evict(now)
        ends_at, hits = self._windows.get(key, (0.0, 0))
        if ends_at <= now:
            # A new window: re-insert at the end, so the dict stays ordered by window start.
            self._windows.pop(key, None)
            ends_at, hits = now + window_seconds, 0
        self._windows[key] = (ends_at, hits + 1)
        return hits + 1, max(1, math.ceil(ends_at - now))

    def _evict(self, now: float) -> None:
        if now < self._next_sweep and len(self._windows) < self._max_keys:
            return
        self._next_sweep = now + self._sweep_seconds
        for key in [k for k, (ends_at, _) in self._windows.items() if ends_at <= now]:
            del self._windows[key]
        if len(self._windows) >= self._max_keys:
            # Still full of live windows: drop the oldest tenth, so the next sweep is far off.
            for key in list(self._windows)[: max(1, self._max_keys // 10)]:
                del self._windows[key]


# INCR, and start the window's expiry on its first hit; returns hits and milliseconds left.
_HIT = """
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {hits, left}
"""


class RedisLimiter(Limiter):
    """Windows as Redis keys (one atomic script per hit), shared by every process.

    After a failure Redis is not asked again for `retry_seconds`, so an outage costs each request
    nothing but a skipped check, rather than a connection timeout.
    """

    def __init__(
        self, url: str, *, prefix: str, timeout: float = 0.5, retry_seconds: float = 5.0
    ) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._script = self._redis.register_script(_HIT)
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._down_until: float | None = None

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        now = time.monotonic()
        if self._down_until is not None and now < self._down_until:
            raise LimiterUnavailable("Redis was unreachable moments ago")
        try:
            hits, left_ms = await self._script(
                keys=[self._prefix + key], args=[window_seconds * 1000]
            )
        except (RedisError, OSError) as exc:
            if self._down_until is None:
                log.warning("rate limits: Redis unreachable (%s); allowing requests meanwhile", exc)
            self._down_until = now + self._retry_seconds
            raise LimiterUnavailable(str(exc)) from exc
        if self._down_until is not None:
            log.info("rate limits: Redis reachable again")
            self._down_until = None
        return int(hits), max(1, math.ceil(int(left_ms) / 1000))

    async def close(self) -> None:
        await self._redis.aclose()


def limiter_from_url(redis_url: str | None, *, prefix: str) -> Limiter:
    return RedisLimiter(redis_url, prefix=prefix) if redis_url else MemoryLimiter()


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `window_seconds`; a count of 0 means no limit."""

    count: int
    window_seconds: int


@dataclass(frozen=True)
class RateLimits:
    limiter: Limiter
    per_caller: Limit
    log_in_per_email: Limit
    log_in_per_address: Limit

    async def check_caller(
        self, *, user_id: uuid.UUID | None, api_key_id: uuid.UUID | None, address: str | None
    ) -> None:
        """Count one operation: per API key, else per user, else (anonymous) per address."""
        if api_key_id is not None:
            key = f"key:{api_key_id}"
        elif user_id is not None:
            key = f"user:{user_id}"
        else:
            key = f"addr:{address or 'unknown'}"
        retry_after = await self._over("op:" + key, self.per_caller, "caller")
        if retry_after is not None:
            limit = self.per_caller
            raise RateLimited(
                f"Rate limit exceeded: at most {limit.count} operations per "
                f"{limit.window_seconds} s. Retry in {retry_after} s.",
                retry_after=retry_after,
            )

    async def check_log_in(self, email: str, address: str | None) -> None:
        """Count one logIn attempt, right or wrong, for the (normalised) email and the address."""
        # Emails are personal data: the key holds a digest, never the address itself.
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        waits = [
            await self._over(f"login:email:{digest}", self.log_in_per_email, "login_email"),
            await self._over(
                f"login:addr:{address or 'unknown'}", self.log_in_per_address, "login_address"
            ),
        ]
        refused = [wait for wait in waits if wait is not None]
        if refused:
            retry_after = max(refused)
            raise RateLimited(
                f"Too many log-in attempts. Retry in {retry_after} s.", retry_after=retry_after
            )

    async def _over(self, key: str, limit: Limit, name: str) -> int | None:
        """Seconds to wait when this hit is over `limit`, else None."""
        if limit.count <= 0:
            return None
        try:
            hits, left = await self.limiter.hit(key, limit.window_seconds)
        except LimiterUnavailable:
            metrics.RATE_LIMITER_ERRORS.inc()
            return None
        except Exception:  # a limiter bug must not take the API down with it
            log.exception("rate limits: the check failed; allowing the request")
            metrics.RATE_LIMITER_ERRORS.inc()
            return None
        if hits <= limit.count:
            return None
        metrics.RATE_LIMITED.labels(name).inc()
        return left
