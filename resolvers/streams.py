"""Streams that end when the credential that opened them stops being valid."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from resolvers.context import Context
from services import auth
from services.broker import RESYNC, Broker
from services.errors import Unauthenticated

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Watch:
    """One broker subscription per credential channel in this process, shared by every stream
    guarded by a credential announced there: a thousand dashboards of one user hold one watch,
    not a thousand tasks and queues. Each stream registers how to end it and how to check its
    own credential (asked when the broker may have missed a message)."""

    def __init__(self, broker: Broker, channel: str) -> None:
        self.channel = channel
        self.listeners: dict[Callable[[], None], Callable[[], Awaitable[bool]]] = {}
        self.subscribed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._run(broker), name=f"watch {channel}")

    async def _run(self, broker: Broker) -> None:
        try:
            async with broker.subscribe(self.channel) as messages:
                self.subscribed.set_result(None)
                async for message in messages:
                    if message != RESYNC:
                        for end in tuple(self.listeners):
                            end()
                        continue
                    for end, ended_now in tuple(self.listeners.items()):
                        if await ended_now():
                            end()
        except Exception:
            # The streams go on; every new operation still re-checks the credential.
            log.warning("cannot watch %s", self.channel, exc_info=True)
        finally:
            if not self.subscribed.done():
                self.subscribed.set_result(None)
            if _watches.get(self.channel) is self:
                del _watches[self.channel]

    def add(self, end: Callable[[], None], ended_now: Callable[[], Awaitable[bool]]) -> None:
        self.listeners[end] = ended_now

    def remove(self, end: Callable[[], None]) -> None:
        self.listeners.pop(end, None)
        if not self.listeners:
            if _watches.get(self.channel) is self:
                del _watches[self.channel]
            self.task.cancel()


_watches: dict[str, _Watch] = {}


def _watch(broker: Broker, channel: str) -> _Watch:
    watch = _watches.get(channel)
    if watch is None or watch.task.done():
        watch = _watches[channel] = _Watch(broker, channel)
    return watch


async def guarded(ctx: Context, stream: AsyncIterator[T]) -> AsyncIterator[T]:
    """`stream`'s items until it ends, or until the caller's credential stops being valid: the
    session token expires (a timer) or is ended (logOutEverywhere, changePassword), or the API key
    is revoked (services.auth announces both on a broker channel, watched once per process and
    channel) — then the stream ends with Unauthenticated.

    The watch, the timer and the stream are released whatever ends the guard: the stream itself,
    the credential, or the client leaving.
    """
    principal = ctx.principal
    if principal is None:
        # Anonymous (or refused): the stream itself raises what it must.
        async for item in stream:
            yield item
        return
    loop = asyncio.get_running_loop()
    end: asyncio.Future[None] = loop.create_future()

    def stop() -> None:
        if not end.done():
            end.set_result(None)

    reason = auth.EXPIRED
    timer = None
    left = auth.seconds_left(principal)
    if left is not None:
        timer = loop.call_later(max(left, 0), stop)
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

    watch = _watch(ctx.broker, channel)
    watch.add(stop, ended_now)

    async def check_once_watched() -> None:
        # Ended between the operation's check and the watch: seen here.
        try:
            await asyncio.shield(watch.subscribed)
            if await ended_now():
                stop()
        except Exception:
            log.warning("cannot check the credential of a stream on %s", channel, exc_info=True)

    check = asyncio.create_task(check_once_watched(), name=channel)
    step: asyncio.Future[T] | None = None
    try:
        while True:
            step = asyncio.ensure_future(anext(stream))
            racing: set[asyncio.Future[Any]] = {step, end}
            await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
            if not step.done():
                raise Unauthenticated(reason)
            try:
                item = step.result()
            except StopAsyncIteration:
                return
            step = None
            yield item
    finally:
        watch.remove(stop)
        for pending in (step, check):
            if pending is not None and not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
        if timer is not None:
            timer.cancel()
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()
