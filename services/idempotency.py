"""Idempotency keys: a keyed request repeated within 24 h returns what the first one created.

The key row is inserted in the transaction that creates the object, under a unique constraint
on (user, key): of two identical requests racing, the database lets one insert and the other
fails with an IntegrityError, reads the winner's row and returns its object. Nothing is
decided by reading first and writing after.
"""

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import orjson
from tortoise.exceptions import IntegrityError

from models import IdempotencyKey
from services.errors import Conflict, InvalidInput

T = TypeVar("T")
WINDOW = timedelta(hours=24)
MAX_KEY = 200


@dataclass
class Request:
    """A keyed request: `key` None means not idempotent (every call creates)."""

    user_id: uuid.UUID
    key: str | None
    operation: str
    digest: str
    _row: IdempotencyKey | None = field(default=None, init=False)

    async def reserve(self) -> None:
        """Inside the creating transaction, before creating: take the key (IntegrityError when
        another request holds it). An expired row for the key is replaced."""
        if self.key is None:
            return
        now = datetime.now(UTC)
        await IdempotencyKey.filter(
            user_id=self.user_id, key=self.key, created_at__lt=now - WINDOW
        ).delete()
        self._row = await IdempotencyKey.create(
            user_id=self.user_id,
            key=self.key,
            operation=self.operation,
            request_hash=self.digest,
            created_at=now,
        )

    async def bind(self, object_id: uuid.UUID) -> None:
        """Inside the same transaction: what the key now stands for."""
        if self._row is not None:
            await IdempotencyKey.filter(id=self._row.id).update(object_id=object_id)


def request(user_id: uuid.UUID, key: str | None, operation: str, values: dict[str, Any]) -> Request:
    """A Request for `operation` with its input `values` (anything orjson writes)."""
    if key is not None and not 1 <= len(key) <= MAX_KEY:
        raise InvalidInput(
            f"`idempotencyKey` must be 1..{MAX_KEY} characters long.", field="idempotencyKey"
        )
    raw = orjson.dumps([operation, values], option=orjson.OPT_SORT_KEYS, default=str)
    return Request(user_id, key, operation, hashlib.sha256(raw).hexdigest())


async def _earlier(req: Request) -> uuid.UUID | None:
    """The object an earlier request with this key created (None: no live key); Conflict when
    the key was used with other input."""
    row = await IdempotencyKey.filter(
        user_id=req.user_id, key=req.key, created_at__gte=datetime.now(UTC) - WINDOW
    ).first()
    if row is None:
        return None
    if row.request_hash != req.digest or row.operation != req.operation:
        raise Conflict(
            "This idempotencyKey was used with a different request in the last 24 hours.",
            field="idempotencyKey",
        )
    if row.object_id is None:  # cannot be seen committed; kept for the type
        raise Conflict("The request with this idempotencyKey is still running.")
    return row.object_id


async def once(
    req: Request,
    create: Callable[[], Awaitable[T]],
    fetch: Callable[[uuid.UUID], Awaitable[T | None]],
) -> T:
    """`create()` (which calls req.reserve and req.bind in its transaction), or, for a key
    used before, `fetch` of what the first request created."""
    if req.key is None:
        return await create()
    earlier = await _earlier(req)
    if earlier is None:
        try:
            return await create()
        except IntegrityError:
            # Another request took the key first (or some other constraint failed: then there
            # is no live key, and the error stands).
            earlier = await _earlier(req)
            if earlier is None:
                raise
    found = await fetch(earlier)
    if found is None:
        raise Conflict(
            "What this idempotencyKey created is gone; use a new key.", field="idempotencyKey"
        )
    return found
