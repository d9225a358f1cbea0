"""Tortoise configuration and the database lifecycle helpers shared by the app, CLI and tests."""

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from tortoise import Tortoise, connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import NestedTransactionContext, TransactionContextPooled
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.connection import get_connections

from services import search_index
from services.settings import DEFAULT_DATABASE_URL

log = logging.getLogger(__name__)

# Work to do once the current transaction commits (services.activity publishes its events so):
# one list per open transaction, a savepoint's merged into its parent's when it succeeds, the
# whole list dropped when its transaction rolls back.
AfterCommit = Callable[[], Awaitable[None]]
T = TypeVar("T")
_after_commit: ContextVar[list[AfterCommit] | None] = ContextVar("after_commit", default=None)

# A database that stops answering must fail requests fast, not hang them: connecting and every
# statement give up after this many seconds (PostgreSQL; SQLite is a local file).
STATEMENT_TIMEOUT = 5.0
# Our statements are fixed texts with id parameters: each prepared statement is planned once
# per connection and its generic plan reused. PostgreSQL's default re-plans an execution with
# its actual parameters whenever the generic plan's estimate looks worse, which for a
# dashboard's aggregate costs more CPU than running it (README, `make bench`).
SERVER_SETTINGS = {"plan_cache_mode": "force_generic_plan"}
# PostgreSQL ends a session left `idle in transaction` this long (a backstop: services.db's
# transaction() already gives back every connection it takes, whatever cancels it).
IDLE_IN_TRANSACTION_SECONDS = 60


# Pooled connections per process (asyncpg; Tortoise's default is 5).
POOL_MAX_SIZE = 10


async def keep_session(connection: Any) -> None:
    """What asyncpg runs on a connection given back to the pool, after rolling back any open
    transaction (which it always does first).

    Its default also sends `RESET ALL; CLOSE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all()`:
    one more round trip per statement, for session state this service never changes on pooled
    connections (no SET, cursors, LISTEN or advisory locks; services.migrate takes its lock on a
    connection of its own). tests/api/test_connections.py proves a read costs one round trip
    per statement.
    """


def tortoise_config(
    database_url: str,
    *,
    timeout: float | None = STATEMENT_TIMEOUT,
    idle_in_transaction_seconds: int = IDLE_IN_TRANSACTION_SECONDS,
    pool_max_size: int = POOL_MAX_SIZE,
) -> dict[str, Any]:
    """Tortoise's config for `database_url`; `timeout=None` for long work such as migrations."""
    connection: str | dict[str, Any] = database_url
    if database_url.startswith(("postgres://", "asyncpg://")) and timeout is not None:
        connection = expand_db_url(database_url)
        server_settings = {
            **SERVER_SETTINGS,
            "idle_in_transaction_session_timeout": f"{idle_in_transaction_seconds}s",
        }
        connection["credentials"].update(
            timeout=timeout,
            command_timeout=timeout,
            server_settings=server_settings,
            maxsize=pool_max_size,
            reset=keep_session,
        )
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {"models": ["models", "aerich.models"], "default_connection": "default"}
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Read by the aerich CLI (`[tool.aerich]` in pyproject.toml); the app builds its own from Settings.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))


async def ping() -> None:
    """Raise unless the database answers a trivial query."""
    await connections.get("default").execute_query("SELECT 1")


async def create_sqlite_schema() -> None:
    """Embedded mode has no migrations (aerich's SQL is PostgreSQL's): create what is missing,
    full-text indexes included."""
    await Tortoise.generate_schemas(safe=True)
    await search_index.create_sqlite_indexes()


class transaction:  # noqa: N801 - used like tortoise's in_transaction()
    """`async with transaction():` — Tortoise's `in_transaction()`, safe against cancellation.

    Strawberry cancels an operation's task when its WebSocket closes, and a request that runs
    too long is cancelled too. Tortoise's transaction context cancelled while it awaits `BEGIN`
    never runs its cleanup: on SQLite its lock stays held (every later query hangs), on
    PostgreSQL the pooled connection stays `idle in transaction`. Here the steps that take or
    give back a connection (acquire + BEGIN, COMMIT/ROLLBACK + release) run as tasks of their
    own that a cancellation cannot interrupt: the caller waits for them to finish, undoes a
    half-opened transaction, and only then sees its CancelledError. A cancellation that lands
    in the body rolls back as any other exception does.
    """

    __slots__ = ("_client", "_context", "_hooks", "_hooks_token", "_nested", "_token")

    async def __aenter__(self) -> Any:
        context = connections.get("default")._in_transaction()
        self._context = context
        self._nested = isinstance(context, NestedTransactionContext)
        if self._nested:
            # A savepoint inside a transaction of ours: the outer one cleans up after a cancel.
            client = await context.__aenter__()
            self._open_hooks()
            return client
        self._client = _client_of(context)
        opening = asyncio.ensure_future(_open(context))
        try:
            await _finish(opening)
        except asyncio.CancelledError:
            if not opening.cancelled() and opening.exception() is None:
                await _finish(asyncio.ensure_future(_close(context, failed=True)))
            raise
        self._token = get_connections().set(context.connection_name, self._client)
        self._open_hooks()
        return self._client

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        hooks, failed = self._hooks, exc_type is not None
        _after_commit.reset(self._hooks_token)
        if self._nested:
            await self._context.__aexit__(exc_type, exc, tb)
            parent = _after_commit.get()
            if not failed and parent is not None:
                parent.extend(hooks)
            return
        try:
            await _finish(asyncio.ensure_future(_close(self._context, failed=failed)))
        finally:
            get_connections().reset(self._token)
        if not failed:
            await _run_after_commit(hooks)

    def _open_hooks(self) -> None:
        self._hooks: list[AfterCommit] = []
        self._hooks_token = _after_commit.set(self._hooks)


# PostgreSQL aborted the transaction to break a deadlock (40P01) or a serialization conflict
# (40001): nothing of it was kept, and the same work run again may well succeed.
_LOST_RACE = frozenset({"40P01", "40001"})
RACE_ATTEMPTS = 3


def lost_a_race(exc: BaseException | None) -> bool:
    """`exc` is (or was raised from) PostgreSQL aborting a transaction to break a deadlock or a
    serialization conflict with a concurrent one."""
    # Tortoise raises its OperationalError from asyncpg's error, which carries the SQLSTATE.
    for _ in range(8):
        if exc is None:
            return False
        if getattr(exc, "sqlstate", None) in _LOST_RACE:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


async def retrying(work: Callable[[], Awaitable[T]], attempts: int = RACE_ATTEMPTS) -> T:
    """`work()` (a transaction and what follows its commit), run again when PostgreSQL chose it
    as the victim of a deadlock or serialization conflict: it rolled back whole, so running it
    again is what the caller meant."""
    for attempt in range(1, attempts + 1):
        try:
            return await work()
        except Exception as exc:
            if attempt == attempts or not lost_a_race(exc):
                raise
            log.info("transaction lost a race with a concurrent one (attempt %d): again", attempt)
    raise AssertionError("unreachable")


def after_commit(hook: AfterCommit) -> None:
    """Run `hook` once the current transaction commits (never if it rolls back).

    The hooks run in order, after the connection is given back; one that fails is logged and
    does not fail the operation that committed. Raises outside a transaction of ours.
    """
    hooks = _after_commit.get()
    if hooks is None:
        raise RuntimeError("after_commit() needs an open services.db.transaction()")
    hooks.append(hook)


async def _run_after_commit(hooks: list[AfterCommit]) -> None:
    for hook in hooks:
        try:
            await hook()
        except Exception:
            log.exception("an after-commit hook failed")


def _client_of(context: Any) -> Any:
    return context.client if isinstance(context, TransactionContextPooled) else context.connection


async def _open(context: Any) -> None:
    """Take a connection (PostgreSQL: from the pool; SQLite: the one, under its lock), BEGIN."""
    if isinstance(context, TransactionContextPooled):
        await context.ensure_connection()
        pool = context.client._parent._pool
        context.client._connection = await pool.acquire()
        try:
            await context.client.begin()
        except BaseException:
            await pool.release(context.client._connection)
            raise
        return
    await context._trxlock.acquire()
    try:
        await context.ensure_connection()
        await context.connection.begin()
    except BaseException:
        context._trxlock.release()
        raise


async def _close(context: Any, *, failed: bool) -> None:
    """COMMIT (or ROLLBACK when `failed`) and give the connection back, whatever happens."""
    client = _client_of(context)
    try:
        if not client._finalized:
            if failed:
                await client.rollback()
            else:
                await client.commit()
    finally:
        if isinstance(context, TransactionContextPooled):
            await client._parent._pool.release(client._connection)
        else:
            context._trxlock.release()


async def _finish(step: "asyncio.Future[None]") -> None:
    """Wait for `step` to complete even if cancelled meanwhile; then re-raise the cancellation
    (or the step's own error)."""
    cancelled = False
    while not step.done():
        try:
            await asyncio.shield(step)
        except asyncio.CancelledError:
            if step.done() and step.cancelled():
                break
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    step.result()


class _HeldClient(TransactionWrapper):
    """Tortoise's client for one pooled asyncpg connection, taken at the first statement and
    kept until `let_go()`; statements run in autocommit, one at a time (the wrapper's lock)."""

    def __init__(self, parent: AsyncpgDBClient) -> None:
        self._connection = None
        self._lock = asyncio.Lock()
        self.log = parent.log
        self.connection_name = parent.connection_name
        self.transaction = None
        self._finalized = False
        self._parent = parent
        self.capabilities = parent.capabilities
        self._gone = False

    def _in_transaction(self) -> Any:
        if self._gone:
            return self._parent._in_transaction()
        # A transaction needs its own connection; taking a second one while holding this one
        # could wait forever on a pool that held connections exhaust.
        raise RuntimeError("let the held connection go (services.db.let_go) before a transaction")

    def acquire_connection(self) -> Any:
        if self._gone:
            return self._parent.acquire_connection()
        return _HeldConnection(self)

    async def let_go(self) -> None:
        self._gone = True
        async with self._lock:
            connection, self._connection = self._connection, None
            pool: Any = self._parent._pool
            if connection is not None:
                await pool.release(connection)


class _HeldConnection:
    __slots__ = ("_client",)

    def __init__(self, client: _HeldClient) -> None:
        self._client = client

    async def __aenter__(self) -> Any:
        client = self._client
        await client._lock.acquire()
        try:
            if client._connection is None:
                parent = client._parent
                if parent._pool is None:
                    async with parent._pool_init_lock:
                        if parent._pool is None:
                            await parent.create_connection(with_db=True)
                pool: Any = parent._pool
                client._connection = await pool.acquire()
        except BaseException:
            client._lock.release()
            raise
        return client._connection

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._client._lock.release()


class one_connection:  # noqa: N801 - used like transaction()
    """`async with one_connection():` — the block's statements share one pooled connection
    (PostgreSQL; elsewhere nothing changes), taken at the first statement and given back at the
    end or at `let_go()`, whichever comes first. Each statement of a read otherwise takes a
    connection from the pool and gives it back (`make bench`, README).

    For reads that run one statement at a time and no transaction: `let_go()` before anything
    else (a transaction raises while the connection is held, rather than take a second one).
    """

    __slots__ = ("_client", "_token")

    async def __aenter__(self) -> None:
        parent = connections.get("default")
        self._client = None
        if isinstance(parent, AsyncpgDBClient) and not isinstance(parent, TransactionWrapper):
            self._client = _HeldClient(parent)
            self._token = get_connections().set(parent.connection_name, self._client)

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._client is not None:
            get_connections().reset(self._token)
            await _finish(asyncio.ensure_future(self._client.let_go()))


async def let_go() -> None:
    """Give back the connection the current `one_connection()` block holds, if any: statements
    from here on take connections from the pool again."""
    client = connections.get("default")
    if isinstance(client, _HeldClient):
        await client.let_go()
