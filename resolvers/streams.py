"""Streams that end when the credential that opened them stops being valid."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TypeVar

from resolvers.context import Context
from services import auth
from services.broker import RESYNC
from services.errors import Unauthenticated

T = TypeVar("T")
log = logging.getLogger(__name__)


async def guarded(ctx: Context, stream: AsyncIterator[T]) -> AsyncIterator[T]:
    """`stream`'s items until it ends, or until the caller's credential stops being valid: the
    session token expires (a timer) or is ended (logOutEverywhere, changePassword), or the API key
    is revoked (services.auth announces both on a broker channel) — then the stream ends with
    Unauthenticated.

    The watch (a timer, or one broker subscription and one statement) is released, and the stream
    closed, whatever ends the guard: the stream itself, the credential, or the client leaving.
    """
    principal = ctx.principal
    if principal is None:
        # Anonymous (or refused): the stream itself raises what it must.
        async for item in stream:
            yield item
        return
    ended = asyncio.Event()
    reason = auth.EXPIRED
    timer = None
    watch = None
    left = auth.seconds_left(principal)
    if left is not None:
        timer = asyncio.get_running_loop().call_later(max(left, 0), ended.set)
    key_id = principal.api_key_id
    if key_id is not None:
        reason = auth.REVOKED
        channel = auth.key_channel(key_id)

        async def ended_now() -> bool:
            return await auth.api_key_revoked(key_id)
    else:
        # A session token: it ends with its session generation (logOutEverywhere).
        user_id, generation = principal.user_id, principal.session_generation or 0
        channel = auth.sessions_channel(user_id)

        async def ended_now() -> bool:
            return await auth.session_ended(user_id, generation)

    async def watch_credential() -> None:
        try:
            async with ctx.broker.subscribe(channel) as messages:
                # Ended between the operation's check and this subscription: seen here.
                if await ended_now():
                    ended.set()
                    return
                async for message in messages:
                    if message != RESYNC or await ended_now():
                        ended.set()
                        return
        except Exception:
            # The stream goes on; every new operation still re-checks the credential.
            log.warning("cannot watch %s", channel, exc_info=True)

    watch = asyncio.create_task(watch_credential(), name=channel)
    step: asyncio.Future[T] | None = None
    end = asyncio.ensure_future(ended.wait())
    try:
        while True:
            step = asyncio.ensure_future(anext(stream))
            await asyncio.wait({step, end}, return_when=asyncio.FIRST_COMPLETED)
            if not step.done():
                raise Unauthenticated(reason)
            try:
                item = step.result()
            except StopAsyncIteration:
                return
            step = None
            yield item
    finally:
        for pending in (step, end, watch):
            if pending is not None and not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
        if timer is not None:
            timer.cancel()
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()
