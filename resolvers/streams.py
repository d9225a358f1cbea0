"""Streams that end when the credential that opened them stops being valid."""

import asyncio
import contextlib
import contextvars
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
        # In a context of its own: the first stream's task's would live as long as the watch.
        self.task = asyncio.create_task(
            self._run(broker), name=f"watch {channel}", context=contextvars.Context()
        )

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


class _Deadline:
    """One timer for every guard whose credential expires at the same instant: the streams of
    one session token (a dashboard's many) share one, rather than a timer each."""

    def __init__(self, expires_at: float, seconds_left: float) -> None:
        self.expires_at = expires_at
        self.guards: set[Guard] = set()
        # In a context of its own: the first guard's task's would live as long as the timer.
        self.timer = asyncio.get_running_loop().call_later(
            max(seconds_left, 0), self._fire, context=contextvars.Context()
        )

    def _fire(self) -> None:
        if _deadlines.get(self.expires_at) is self:
            del _deadlines[self.expires_at]
        for guard in tuple(self.guards):
            guard._fire()

    def remove(self, guard: "Guard") -> None:
        self.guards.discard(guard)
        if not self.guards:
            self.timer.cancel()
            if _deadlines.get(self.expires_at) is self:
                del _deadlines[self.expires_at]


_deadlines: dict[float, _Deadline] = {}


class Guard:
    """Watches the credential that opened a stream: when the session token expires (a timer) or
    is ended (logOutEverywhere, changePassword), or the API key is revoked (services.auth
    announces both on a broker channel, watched once per process and channel), it calls
    `on_end` once, with the Unauthenticated error the stream ends with.

    A callback rather than a task racing the stream: a shared stream parked on its feed
    (schema.fanout) has no task of its own to interrupt, and ten thousand of them must not keep
    ten thousand tasks. `close()` releases the watch and the timer, whatever ended the stream.
    """

    __slots__ = ("_check", "_deadline", "_watch", "on_end", "reason")

    def __init__(self, ctx: Context, on_end: Callable[[Unauthenticated], None]) -> None:
        principal = ctx.principal
        assert principal is not None, "anonymous streams have no credential to watch"
        self.on_end: Callable[[Unauthenticated], None] | None = on_end
        self.reason = auth.EXPIRED
        self._deadline: _Deadline | None = None
        left = auth.seconds_left(principal)
        if left is not None:
            expires_at = principal.expires_at
            assert expires_at is not None
            deadline = _deadlines.get(expires_at)
            if deadline is None:
                deadline = _deadlines[expires_at] = _Deadline(expires_at, left)
            deadline.guards.add(self)
            self._deadline = deadline
        key_id = principal.api_key_id
        ended_now: Callable[[], Awaitable[bool]]
        if key_id is not None:
            self.reason = auth.REVOKED
            channel = auth.key_channel(key_id)

            async def ended_now() -> bool:
                return await auth.api_key_revoked(key_id)
        else:
            # A session token: it ends with its session generation (logOutEverywhere).
            user_id, generation = principal.user_id, principal.session_generation or 0
            channel = auth.sessions_channel(user_id)

            async def ended_now() -> bool:
                return await auth.session_ended(user_id, generation)

        self._watch = watch = _watch(ctx.broker, channel)
        watch.add(self._fire, ended_now)

        async def check_once_watched() -> None:
            # Ended between the operation's check and the watch: seen here.
            try:
                await asyncio.shield(watch.subscribed)
                if await ended_now():
                    self._fire()
            except Exception:
                log.warning("cannot check the credential of a stream on %s", channel, exc_info=True)

        self._check: asyncio.Task[None] | None = asyncio.create_task(
            check_once_watched(), name=channel
        )
        self._check.add_done_callback(self._checked)

    def _checked(self, _task: asyncio.Task[None]) -> None:
        self._check = None

    def _fire(self) -> None:
        on_end, self.on_end = self.on_end, None
        if on_end is not None:
            on_end(Unauthenticated(self.reason))

    def close(self) -> None:
        self.on_end = None
        self._watch.remove(self._fire)
        if self._deadline is not None:
            self._deadline.remove(self)
        if self._check is not None:
            self._check.cancel()


async def guarded(ctx: Context, stream: AsyncIterator[T]) -> AsyncIterator[T]:
    """`stream`'s items until it ends, or until the caller's credential stops being valid
    (`Guard`): then the stream ends with Unauthenticated. The watch, the timer and the stream
    are released whatever ends the guard: the stream itself, the credential, or the client
    leaving."""
    if ctx.principal is None:
        # Anonymous (or refused): the stream itself raises what it must.
        async for item in stream:
            yield item
        return
    end: asyncio.Future[Unauthenticated] = asyncio.get_running_loop().create_future()
    guard = Guard(ctx, end.set_result)
    step: asyncio.Future[T] | None = None
    try:
        while True:
            step = asyncio.ensure_future(anext(stream))
            racing: set[asyncio.Future[Any]] = {step, end}
            await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
            if not step.done():
                raise end.result()
            try:
                item = step.result()
            except StopAsyncIteration:
                return
            step = None
            yield item
    finally:
        guard.close()
        if step is not None and not step.done():
            step.cancel()
            with contextlib.suppress(BaseException):
                await step
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()
