"""Automatic persisted queries (Apollo's protocol): documents registered by their SHA-256 hash.

A client sends `extensions.persistedQuery {version: 1, sha256Hash}`, without the document once it
has been registered; the document is registered by sending both, and only when the hash is the
document's. Registered documents are shared by every API process (in Redis when REDIS_URL is set,
in process otherwise) and bounded in bytes: past `max_bytes`, the least recently used leave (a
client whose hash is gone sends the document again, as the protocol expects).

A store that cannot answer (Redis down) never fails a request: a lookup finds nothing (the client
sends the document) and a registration is skipped; the outage is logged once.
"""

import hashlib
import logging
import re
import time
from abc import ABC, abstractmethod
from collections import OrderedDict

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

VERSION = 1
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_of(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


class PersistedQueries(ABC):
    @abstractmethod
    async def get(self, sha: str) -> str | None:
        """The document registered under `sha`, if any (it counts as used)."""

    @abstractmethod
    async def put(self, sha: str, document: str) -> None:
        """Register `document` under `sha`, which the caller has checked is its hash."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        pass


class MemoryPersistedQueries(PersistedQueries):
    """One process: an LRU of hash -> document, bounded in bytes of the documents' UTF-8."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self._entries: OrderedDict[str, tuple[str, int]] = OrderedDict()

    async def get(self, sha: str) -> str | None:
        entry = self._entries.get(sha)
        if entry is None:
            return None
        self._entries.move_to_end(sha)
        return entry[0]

    async def put(self, sha: str, document: str) -> None:
        size = len(document.encode())
        if sha in self._entries or size > self.max_bytes:
            return
        self._entries[sha] = (document, size)
        self.size_bytes += size
        while self.size_bytes > self.max_bytes:
            _, (_, freed) = self._entries.popitem(last=False)
            self.size_bytes -= freed


# KEYS: documents (hash of sha -> document), recency (sorted set of sha by last use), size (the
# documents' total bytes). ARGV: sha, document, now, max bytes. Atomic: processes never see a
# half-registered document or a size that disagrees with the documents.
_PUT = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  return 0
end
local size = string.len(ARGV[2])
local limit = tonumber(ARGV[4])
if size > limit then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local total = redis.call('INCRBY', KEYS[3], size)
while total > limit do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then break end
  local document = redis.call('HGET', KEYS[1], oldest[1])
  redis.call('HDEL', KEYS[1], oldest[1])
  if document then total = redis.call('DECRBY', KEYS[3], string.len(document)) end
end
return 1
"""
_GET = """
local document = redis.call('HGET', KEYS[1], ARGV[1])
if document then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) end
return document
"""


class RedisPersistedQueries(PersistedQueries):
    """Every process: the documents in one Redis hash, their recency in a sorted set, their total
    size in a counter, changed together by one script."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 0.5,
        retry_seconds: float = 5.0,
    ) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._put = self._redis.register_script(_PUT)
        self._get = self._redis.register_script(_GET)
        self._keys = [f"{prefix}documents", f"{prefix}recency", f"{prefix}bytes"]
        self.max_bytes = max_bytes
        self._retry_seconds = retry_seconds
        self._down_until: float | None = None

    async def get(self, sha: str) -> str | None:
        if self._down():
            return None
        try:
            found = await self._get(keys=self._keys[:2], args=[sha, time.time()])
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None
        self._up()
        return found.decode() if isinstance(found, bytes) else None

    async def put(self, sha: str, document: str) -> None:
        if self._down():
            return
        try:
            await self._put(keys=self._keys, args=[sha, document, time.time(), self.max_bytes])
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return
        self._up()

    def _down(self) -> bool:
        return self._down_until is not None and time.monotonic() < self._down_until

    def _failed(self, exc: Exception) -> None:
        if self._down_until is None:
            log.warning("persisted queries: Redis unreachable (%s); clients send documents", exc)
        self._down_until = time.monotonic() + self._retry_seconds

    def _up(self) -> None:
        if self._down_until is not None:
            log.info("persisted queries: Redis reachable again")
            self._down_until = None

    async def close(self) -> None:
        await self._redis.aclose()


def persisted_queries_from_url(
    redis_url: str | None, *, prefix: str, max_bytes: int
) -> PersistedQueries:
    if redis_url:
        return RedisPersistedQueries(redis_url, prefix=prefix, max_bytes=max_bytes)
    return MemoryPersistedQueries(max_bytes)
