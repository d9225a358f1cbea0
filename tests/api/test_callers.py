"""The callers' user rows cached per process (services.callers): no statement for the caller's
row on a repeated request, and never a row that changed."""

import asyncio
import time
import uuid
from typing import Any

import pytest

from models import User
from services import callers
from services.broker import RESYNC, Broker, MemoryBroker, RedisBroker
from services.callers import CallerCache
from tests.api.test_worker import eventually
from tests.conftest import POSTGRES, REDIS_URL
from tests.helpers import Api, StatementCounter, sign_up

ME = "query { me { id name } }"
USERS_READ = "FROM users WHERE id"


def users_reads(statements: list[str]) -> int:
    return sum(USERS_READ in s for s in statements)


async def test_a_callers_row_is_read_once_then_taken_from_the_cache(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    api.forget_callers()
    with count_statements.measure() as statements:
        for _ in range(3):
            assert (await api.gql(ME, user.token))["me"]["id"] == user.id
    assert users_reads(statements) == 1, statements


async def test_a_change_announced_after_commit_is_seen_by_the_next_request(
    api: Api, count_statements: StatementCounter
) -> None:
    user = await sign_up(api)
    assert (await api.gql(ME, user.token))["me"]["name"] is None
    await User.filter(id=user.id).update(name="Ada")
    # Until announced (or `ttl` passes), the cached row stands for the caller.
    assert (await api.gql(ME, user.token))["me"]["name"] is None
    cache = api.app.state.callers
    await callers.changed(cache, api.app.state.broker, uuid.UUID(user.id))
    with count_statements.measure() as statements:
        assert (await api.gql(ME, user.token))["me"]["name"] == "Ada"
    assert users_reads(statements) == 1


async def test_a_deleted_user_announced_is_refused_at_once(api: Api) -> None:
    user = await sign_up(api)
    await api.gql(ME, user.token)
    await User.filter(id=user.id).delete()
    await callers.changed(api.app.state.callers, api.app.state.broker, uuid.UUID(user.id))
    error = await api.gql_error(ME, user.token)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_row_is_used_at_most_ttl_seconds(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change made behind the service's back (SQL by hand) is seen once `ttl` has passed."""
    user = await sign_up(api)
    await api.gql(ME, user.token)
    await User.filter(id=user.id).delete()
    cache: CallerCache = api.app.state.callers
    now = time.monotonic()
    cache.clock = lambda: now + cache.ttl + 0.001
    error = await api.gql_error(ME, user.token)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_read_that_began_before_a_forget_is_not_kept() -> None:
    """Process B reads the old row, A commits a change and B hears of it, then B's read ends:
    what B read must not be cached."""
    cache = CallerCache(ttl=60)
    user_id = uuid.uuid4()
    version = cache.version  # the read starts
    cache.forget(user_id)  # a change is announced meanwhile
    cache.put(user_id, {"id": user_id}, version)  # the read ends
    assert cache.get(user_id) is None
    cache.put(user_id, {"id": user_id}, cache.version)
    assert cache.get(user_id) == {"id": user_id}


def test_the_cache_is_bounded() -> None:
    cache = CallerCache(ttl=60, maxsize=3)
    ids = [uuid.uuid4() for _ in range(5)]
    for user_id in ids:
        cache.put(user_id, {"id": user_id}, cache.version)
    assert len(cache) == 3
    assert cache.get(ids[0]) is None
    assert cache.get(ids[-1]) is not None


def test_a_ttl_of_zero_caches_nothing() -> None:
    cache = CallerCache(ttl=0)
    user_id = uuid.uuid4()
    cache.put(user_id, {"id": user_id}, cache.version)
    assert cache.get(user_id) is None


async def _until(condition: Any) -> None:
    async def check() -> bool:
        return bool(await condition()) if asyncio.iscoroutinefunction(condition) else condition()

    await eventually(check, "the broker's message")


async def test_other_processes_forget_a_changed_row_through_the_broker() -> None:
    """Two API processes: each has its cache and its broker connection (Redis when the suite
    runs on PostgreSQL + Redis, which is how processes share one; in-process otherwise)."""
    here: Broker
    there: Broker
    if POSTGRES:
        here, there = RedisBroker(REDIS_URL), RedisBroker(REDIS_URL)
    else:
        here = there = MemoryBroker()
    for broker in {id(here): here, id(there): there}.values():
        await broker.start()
    ours, theirs = CallerCache(ttl=60), CallerCache(ttl=60)
    following = asyncio.create_task(callers.follow(theirs, there))
    try:
        await _until(lambda: there.subscriber_count(callers.CHANNEL) == 1)
        user_id, other = uuid.uuid4(), uuid.uuid4()
        if isinstance(here, RedisBroker):  # Redis takes the SUBSCRIBE in its own time

            async def subscribed() -> bool:
                return bool((await here._redis.pubsub_numsub(callers.CHANNEL))[0][1] >= 1)

            await _until(subscribed)
        for cache in (ours, theirs):
            for key in (user_id, other):
                cache.put(key, {"id": key}, cache.version)
        await callers.changed(ours, here, user_id)
        assert ours.get(user_id) is None  # at once, in the process that changed it
        await _until(lambda: theirs.get(user_id) is None)
        assert theirs.get(other) is not None  # only that user
        # A broker that reconnected may have missed messages: everything goes.
        for subscription in there._subscribers[callers.CHANNEL]:
            subscription.deliver(RESYNC)
        await _until(lambda: len(theirs) == 0)
    finally:
        following.cancel()
        await asyncio.gather(following, return_exceptions=True)
        for broker in {id(here): here, id(there): there}.values():
            await broker.stop()
