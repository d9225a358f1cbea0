"""Fixtures: the real app over HTTP on SQLite (default) or PostgreSQL (TEST_DATABASE=postgres).

On PostgreSQL each run creates a fresh database, builds it with the aerich migrations and drops it
afterwards, so runs never see each other's rows. Every test starts with empty tables.
"""

import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from tortoise import connections

from app import create_app
from services.settings import Settings
from tests.helpers import Api, StatementCounter

POSTGRES = os.environ.get("TEST_DATABASE", "sqlite") == "postgres"
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "test-secret-key-that-is-long-enough-for-hs256"


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if not POSTGRES:
        yield f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"storygraph_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1)
        url = f"{base}/{name}"
        from services.migrate import migrate

        await migrate(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The app's settings in tests: no embedded worker (tests that need one ask `make_api`),
    and failed jobs retry at once."""
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        redis_url=REDIS_URL if POSTGRES else None,
        data_dir=tmp_path / "data",
        run_worker=False,
        job_retry_base_seconds=0,
        # Rate-limit counts of this test's own: on Redis, other tests and runs never add to them.
        rate_limit_key_prefix=f"storygraph-test:{uuid.uuid4().hex}:",
    )


MakeApi = Callable[..., AbstractAsyncContextManager[Api]]


@pytest.fixture
def make_api(settings: Settings) -> MakeApi:
    """`async with make_api(run_worker=True) as api:` — the app with some settings changed,
    on empty tables. Use it instead of `api`, not beside it (one app per test)."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[Api]:
        app = create_app(settings.model_copy(update=overrides))
        async with LifespanManager(app) as manager:
            # Every table hangs off users (ON DELETE CASCADE) but the outbox of stored objects.
            await connections.get("default").execute_query("DELETE FROM users")
            await connections.get("default").execute_query("DELETE FROM stored_object_deletions")
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Api(client, app)

    return make


@pytest.fixture
async def api(make_api: MakeApi) -> AsyncIterator[Api]:
    async with make_api() as api:
        yield api


@pytest.fixture
def count_statements() -> Iterator[StatementCounter]:
    """Counts SQL statements issued through Tortoise while the test runs (see StatementCounter)."""
    counter = StatementCounter()
    logger = logging.getLogger("tortoise.db_client")
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
