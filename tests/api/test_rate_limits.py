"""Rate limits: per user, per API key and per anonymous address; logIn per email and per address.

Checked against API.md (errors: RATE_LIMITED with extensions.retryAfter) and the issue: over the
limit an operation is refused with RATE_LIMITED and an integer retryAfter ≥ 1 before anything
runs; limits are per caller; logIn is limited per email and per client address before the
password is checked. On PostgreSQL the counts live in Redis (under a key prefix of each test's
own), on SQLite in process; a limiter that cannot reach Redis lets requests through.
"""

import asyncio
import uuid
from typing import Any

import pytest

from models import Project
from services import auth, metrics
from services.ratelimit import (
    Limit,
    LimiterUnavailable,
    MemoryLimiter,
    RateLimits,
    RedisLimiter,
    limiter_from_url,
)
from services.settings import Settings
from tests.api.test_observability import free_port, serve, ws_base
from tests.conftest import POSTGRES, REDIS_URL, MakeApi
from tests.helpers import CREATE_PROJECT, PASSWORD, Api, create_project, sign_up
from tests.live.clients import PROTOCOLS, TRANSPORT_WS, Protocol, ws_client

ME = "query Me { me { id } }"
LOG_IN = """
mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { id } }
}
"""
CREATE_API_KEY = "mutation CreateApiKey($name: String!) { createApiKey(name: $name) { key } }"
PROJECT_PROGRESS = """
subscription ProjectProgress($projectId: ID!) {
  projectProgress(projectId: $projectId) { totalTasks completedTasks ratio }
}
"""


def prefix() -> str:
    """A Redis key prefix of this test's own: parallel runs and other tests never share counts."""
    return f"storygraph-test:{uuid.uuid4().hex}:"


def assert_rate_limited(error: dict[str, Any], window: int) -> None:
    assert error["extensions"]["code"] == "RATE_LIMITED"
    retry_after = error["extensions"]["retryAfter"]
    assert isinstance(retry_after, int)
    assert 1 <= retry_after <= window
    assert set(error["extensions"]) == {"code", "retryAfter"}


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def refusals(limit: str) -> float:
    return sample("storygraph_rate_limited_total", limit=limit)


async def limited(api: Api, query: str, token: str | None = None, **variables: Any) -> None:
    """Run an operation that must be refused with RATE_LIMITED (per-caller window: 60 s)."""
    body = await api.post(query, token, **variables)
    assert body["data"] is None, body
    [error] = body["errors"]
    assert_rate_limited(error, 60)


# --- per caller --------------------------------------------------------------------------------


async def test_the_operation_after_the_limit_is_refused_and_not_executed(
    make_api: MakeApi,
) -> None:
    async with make_api(rate_limit_per_minute=5, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)  # anonymous: counted for the address, not for the user
        for _ in range(4):
            await api.gql(ME, user.token)
        await create_project(api, user, "Fifth")

        await limited(api, CREATE_PROJECT, user.token, input={"title": "Sixth"})
        await limited(api, ME, user.token)

        assert await Project.filter(owner_id=user.id).count() == 1


async def test_one_users_limit_does_not_touch_another_user(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=3, rate_limit_key_prefix=prefix()) as api:
        first = await sign_up(api)
        second = await sign_up(api)
        for _ in range(3):
            await api.gql(ME, first.token)
        await limited(api, ME, first.token)

        for _ in range(3):
            assert (await api.gql(ME, second.token))["me"]["id"] == second.id
        await limited(api, ME, second.token)


async def test_an_api_key_is_limited_apart_from_its_users_sessions(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=3, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        key = (await api.gql(CREATE_API_KEY, user.token, name="partner"))["createApiKey"]["key"]
        for _ in range(2):
            await api.gql(ME, user.token)
        await limited(api, ME, user.token)

        for _ in range(3):
            assert (await api.gql(ME, key))["me"]["id"] == user.id
        await limited(api, ME, key)
        await limited(api, ME, user.token)


async def test_anonymous_callers_are_limited_by_address(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=3, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)  # 1 of the address's 3
        assert (await api.gql(ME))["me"] is None
        assert (await api.gql(ME))["me"] is None
        await limited(api, ME)
        await limited(api, LOG_IN, email=user.email, password=PASSWORD)

        # A signed-in caller has a limit of its own.
        assert (await api.gql(ME, user.token))["me"]["id"] == user.id


async def test_documents_that_do_not_validate_count_too(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=3, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        for _ in range(2):
            error = await api.gql_error("query Nope { noSuchField }", user.token)
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
        await api.gql(ME, user.token)

        await limited(api, ME, user.token)


async def test_a_limit_of_zero_turns_the_per_caller_limit_off(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=0, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        for _ in range(30):
            await api.gql(ME, user.token)


async def test_refusals_are_counted_in_the_metrics(make_api: MakeApi) -> None:
    async with make_api(rate_limit_per_minute=1, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        ops = "storygraph_graphql_operations_total"
        labels = {"operation": "Me", "type": "query", "outcome": "RATE_LIMITED"}
        before = refusals("caller"), sample(ops, **labels)
        await api.gql(ME, user.token)
        await limited(api, ME, user.token)
        await limited(api, ME, user.token)

        assert refusals("caller") - before[0] == 2
        assert sample(ops, **labels) - before[1] == 2


# --- over WebSocket ----------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=str)
async def test_subscriptions_over_websocket_are_limited(
    settings: Settings, protocol: Protocol
) -> None:
    async with serve(settings, rate_limit_per_minute=3, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        project_id = await create_project(api, user)  # 1 of 3
        async with ws_client(ws_base(api), protocol, user.token) as ws:
            await ws.subscribe(PROJECT_PROGRESS, projectId=project_id)  # 2
            assert (await ws.next_value("projectProgress"))["totalTasks"] == 0
            await ws.subscribe(PROJECT_PROGRESS, projectId=project_id)  # 3
            assert (await ws.next_value("projectProgress"))["totalTasks"] == 0

            refused = await ws.subscribe(PROJECT_PROGRESS, projectId=project_id)
            frame = await ws.frame()
            assert frame.id == refused
            [error] = frame.errors
            assert_rate_limited(error, 60)


async def test_queries_over_websocket_are_limited(settings: Settings) -> None:
    async with serve(settings, rate_limit_per_minute=2, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        async with ws_client(ws_base(api), TRANSPORT_WS, user.token) as ws:
            for _ in range(2):
                await ws.subscribe(ME)
                assert (await ws.next_value("me"))["id"] == user.id
                assert (await ws.frame()).type == "complete"
            refused = await ws.subscribe(ME)
            frame = await ws.frame()
            assert frame.id == refused
            [error] = frame.errors
            assert_rate_limited(error, 60)


# --- logIn -------------------------------------------------------------------------------------


class CountingHasher:
    """Wraps the password hasher to count verifications."""

    def __init__(self, hasher: Any) -> None:
        self.hasher = hasher
        self.verified = 0

    def hash(self, password: str) -> str:
        hashed: str = self.hasher.hash(password)
        return hashed

    def verify(self, hash: str, password: str) -> bool:
        self.verified += 1
        result: bool = self.hasher.verify(hash, password)
        return result


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


async def log_in_error(api: Api, email: str, password: str) -> dict[str, Any]:
    error = await api.gql_error(LOG_IN, email=email, password=password)
    return error


async def test_log_in_is_limited_per_email_before_the_password_is_checked(
    make_api: MakeApi, hasher: CountingHasher
) -> None:
    async with make_api(rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        other = await sign_up(api)
        for attempt in range(10):
            error = await log_in_error(api, user.email, f"wrong password {attempt}")
            assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert hasher.verified == 10

        # The 11th attempt within 15 minutes, with the right password, case and spaces aside.
        error = await log_in_error(api, f"  {user.email.upper()} ", PASSWORD)
        assert_rate_limited(error, 15 * 60)
        assert error["extensions"]["retryAfter"] > 60
        assert hasher.verified == 10

        data = await api.gql(LOG_IN, email=other.email, password=PASSWORD)
        assert data["logIn"]["user"]["id"] == other.id


async def test_log_in_is_limited_per_address(make_api: MakeApi, hasher: CountingHasher) -> None:
    async with make_api(login_limit_per_address=3, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        for _ in range(3):
            error = await log_in_error(api, f"nobody-{uuid.uuid4().hex[:8]}@example.com", "guess")
            assert error["extensions"]["code"] == "UNAUTHENTICATED"

        error = await log_in_error(api, user.email, PASSWORD)

        assert_rate_limited(error, 15 * 60)
        assert hasher.verified == 3


async def test_log_in_limits_follow_their_settings(make_api: MakeApi) -> None:
    async with make_api(
        login_limit_per_email=2,
        login_limit_per_address=0,
        login_limit_window_seconds=30,
        rate_limit_key_prefix=prefix(),
    ) as api:
        user = await sign_up(api)
        await log_in_error(api, user.email, "wrong password")
        await api.gql(LOG_IN, email=user.email, password=PASSWORD)

        error = await log_in_error(api, user.email, PASSWORD)
        assert_rate_limited(error, 30)


async def test_a_session_does_not_lift_the_log_in_limit(make_api: MakeApi) -> None:
    async with make_api(login_limit_per_email=1, rate_limit_key_prefix=prefix()) as api:
        user = await sign_up(api)
        await api.gql(LOG_IN, email=user.email, password=PASSWORD)
        error = await api.gql_error(LOG_IN, user.token, email=user.email, password=PASSWORD)
        assert_rate_limited(error, 15 * 60)


# --- the limiters ------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_memory_limiter_counts_fixed_windows() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock=clock)

    assert await limiter.hit("a", 60) == (1, 60)
    clock.now += 20.5
    assert await limiter.hit("a", 60) == (2, 40)
    assert await limiter.hit("b", 60) == (1, 60)
    clock.now += 40
    assert await limiter.hit("a", 60) == (1, 60)


async def test_the_memory_limiter_keeps_memory_bounded() -> None:
    clock = Clock()
    limiter = MemoryLimiter(max_keys=100, sweep_seconds=10, clock=clock)

    for i in range(1000):
        await limiter.hit(f"key-{i}", 60)
    assert len(limiter) <= 100

    clock.now += 61  # every window has ended: the next sweep drops them all
    await limiter.hit("fresh", 60)
    assert len(limiter) == 1


async def test_an_unreachable_redis_lets_requests_through() -> None:
    limiter = RedisLimiter(f"redis://127.0.0.1:{free_port()}/0", prefix=prefix(), timeout=0.2)
    limits = RateLimits(limiter, Limit(1, 60), Limit(1, 900), Limit(1, 900))
    errors = sample("storygraph_rate_limiter_errors_total")
    try:
        for _ in range(3):
            await limits.check_caller(user_id=uuid.uuid4(), api_key_id=None, address=None)
            await limits.check_log_in("someone@example.com", "127.0.0.1")
        with pytest.raises(LimiterUnavailable):
            await limiter.hit("x", 60)
    finally:
        await limiter.close()
    assert sample("storygraph_rate_limiter_errors_total") - errors == 9


@pytest.mark.skipif(not POSTGRES, reason="Redis is configured on the PostgreSQL pass")
async def test_redis_windows_are_shared_between_processes_and_expire() -> None:
    shared = prefix()
    first = limiter_from_url(REDIS_URL, prefix=shared)
    second = limiter_from_url(REDIS_URL, prefix=shared)
    elsewhere = limiter_from_url(REDIS_URL, prefix=prefix())
    assert isinstance(first, RedisLimiter)
    try:
        assert await first.hit("user:1", 60) == (1, 60)
        hits, left = await second.hit("user:1", 60)
        assert (hits, 59 <= left <= 60) == (2, True)
        assert await elsewhere.hit("user:1", 60) == (1, 60)

        assert await first.hit("short", 1) == (1, 1)
        await asyncio.sleep(1.1)
        assert await second.hit("short", 1) == (1, 1)
    finally:
        for limiter in (first, second, elsewhere):
            await limiter.close()


async def test_the_limiter_follows_redis_url(settings: Settings) -> None:
    limiter = limiter_from_url(settings.redis_url, prefix=prefix())
    try:
        assert isinstance(limiter, RedisLimiter if POSTGRES else MemoryLimiter)
    finally:
        await limiter.close()
